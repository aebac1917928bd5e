import "server-only";
import { sql } from "drizzle-orm";
import { getConfig } from "./config";
import { getDb } from "./db/client";

/** What `/api/health` reports: the mode and whether the database answers. */
export async function checkHealth(): Promise<{ ok: boolean; mode: string; environment: string; database: "ok" | "unavailable" }> {
  const { mode, para } = getConfig();
  const database = await getDb()
    .then((db) => db.execute(sql`select 1`))
    .then(() => "ok" as const)
    .catch(() => "unavailable" as const);
  return { ok: database === "ok", mode, environment: para.environment, database };
}
