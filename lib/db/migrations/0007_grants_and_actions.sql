CREATE TABLE "scheduled_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"para_session_id" text NOT NULL,
	"grant_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"library" text NOT NULL,
	"kind" text NOT NULL,
	"message" text,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"result" jsonb,
	"error_code" text,
	"run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "scheduled_actions_status_check" CHECK ("scheduled_actions"."status" in ('scheduled', 'running', 'done', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "session_grants" (
	"para_session_id" text PRIMARY KEY NOT NULL,
	"grant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "scheduled_actions_user_created_idx" ON "scheduled_actions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "scheduled_actions_para_session_idx" ON "scheduled_actions" USING btree ("para_session_id");