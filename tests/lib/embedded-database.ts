import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { getConfig } from "../../lib/config";
import { applyMigrations } from "../../lib/db/migrate";

/** A fresh random key in the form the configuration takes (base64 of 32 bytes). */
export const randomKey = () => randomBytes(32).toString("base64");

/**
 * This file's lib/ on its own embedded PGlite in a fresh data folder, migrated, removed afterwards.
 * `env` holds the secrets' rings as a deployment sets them, and any other variable the file needs.
 */
export function embeddedDatabaseForThisFile(
  prefix: string,
  env: { DATA_ENCRYPTION_KEY: string; SESSION_SECRET: string } & Record<string, string>,
): void {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    Object.assign(process.env, { PARA_API_KEY: "", PARA_DATA_DIR: dataDir, ...env });
    await applyMigrations(getConfig().database);
  });
}
