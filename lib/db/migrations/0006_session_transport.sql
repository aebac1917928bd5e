CREATE TABLE "used_transport_jtis" (
	"jti" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "used_transport_jtis_expires_at_idx" ON "used_transport_jtis" USING btree ("expires_at");