CREATE TABLE "para_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"auth_type" text NOT NULL,
	"identifier" text NOT NULL,
	"sealed_session" text NOT NULL,
	"has_signers" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"validated_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "para_sessions_user_id_idx" ON "para_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "para_sessions_expires_at_idx" ON "para_sessions" USING btree ("expires_at");