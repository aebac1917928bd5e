import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/config";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "para-config-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

// What `openssl rand -base64 32` prints: strict base64 of 32 random bytes.
const SECRET = randomBytes(32).toString("base64");
const NEW_SECRET = randomBytes(32).toString("base64");
const KEY = randomBytes(32).toString("base64");
const para = (env: Record<string, string>) => loadConfig({ PARA_DATA_DIR: dataDir, NODE_ENV: "production", ...env });

describe("loadConfig", () => {
  it("runs locally with nothing set: para-local's key and DEV, secrets made once and kept", () => {
    const first = loadConfig({ PARA_DATA_DIR: dataDir, NODE_ENV: "development" });
    expect(first).toMatchObject({
      mode: "local",
      para: { environment: "DEV", apiKey: "para-local-key", verifyUrl: "http://localhost:8080/sessions/verify" },
    });
    expect(first.session.secureCookie).toBe(false);
    // Against para-local each API answer lists its Para calls; against Para only when asked (PARA_TRACE=1).
    expect(first.para.trace).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { sessionSecret: string };
    expect(first.session.passwords).toEqual({ 1: stored.sessionSecret });
    // A second start (another process, a restart) reads the same secrets instead of making new ones.
    expect(loadConfig({ PARA_DATA_DIR: dataDir, NODE_ENV: "development" }).session.passwords).toEqual(first.session.passwords);
  });

  it("with a Para key, refuses to start without the secrets and names them", () => {
    expect(() => para({ PARA_API_KEY: "beta_abc" })).toThrow(ConfigError);
    expect(() => para({ PARA_API_KEY: "beta_abc" })).toThrow(
      /SESSION_SECRET and DATA_ENCRYPTION_KEY are required.*openssl rand -base64 32/,
    );
    expect(() => para({ PARA_API_KEY: "beta_abc", SESSION_SECRET: SECRET })).toThrow(/^DATA_ENCRYPTION_KEY is required/);
  });

  it("takes the environment from the key's prefix, with the matching verify URL and secure cookies", () => {
    const config = para({ PARA_API_KEY: "prod_abc", SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY, PARA_SECRET_KEY: "sk" });
    expect(config).toMatchObject({
      mode: "para",
      para: { environment: "PROD", secretKey: "sk", verifyUrl: "https://api.getpara.com/sessions/verify" },
    });
    expect(config.session.secureCookie).toBe(true);
    expect(config.para.trace).toBe(false);
  });

  it("needs PARA_ENVIRONMENT for a key without a prefix, and refuses one that disagrees with the prefix", () => {
    const secrets = { SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY };
    expect(() => para({ PARA_API_KEY: "abc", ...secrets })).toThrow(/PARA_ENVIRONMENT is required/);
    expect(para({ PARA_API_KEY: "abc", PARA_ENVIRONMENT: "sandbox", ...secrets }).para.verifyUrl).toBe(
      "https://api.sandbox.getpara.com/sessions/verify",
    );
    expect(() => para({ PARA_API_KEY: "beta_abc", PARA_ENVIRONMENT: "PROD", ...secrets })).toThrow(/make them agree/i);
    expect(() => para({ PARA_API_KEY: "x_abc", ...secrets })).toThrow(/unknown environment prefix/);
  });

  it("reads rotation lists: the highest id seals, every id opens", () => {
    const config = para({
      PARA_API_KEY: "beta_abc",
      SESSION_SECRET: `2=${NEW_SECRET},1=${SECRET}`,
      DATA_ENCRYPTION_KEY: `3=${KEY},1=${randomBytes(32).toString("base64")}`,
    });
    expect(config.session.passwords).toEqual({ 2: NEW_SECRET, 1: SECRET });
    expect(config.dataKeys.currentId).toBe(3);
    expect([...config.dataKeys.keys.keys()].sort()).toEqual([1, 3]);
  });

  it("DATA_ENCRYPTION_KEY_ID picks the sealing key (a rolling rotation's first step), and must be in the ring", () => {
    const keys = {
      PARA_API_KEY: "beta_abc",
      SESSION_SECRET: SECRET,
      DATA_ENCRYPTION_KEY: `2=${KEY},1=${randomBytes(32).toString("base64")}`,
    };
    const config = para({ ...keys, DATA_ENCRYPTION_KEY_ID: "1" });
    expect(config.dataKeys.currentId).toBe(1);
    expect([...config.dataKeys.keys.keys()].sort()).toEqual([1, 2]);
    expect(() => para({ ...keys, DATA_ENCRYPTION_KEY_ID: "3" })).toThrow(
      /DATA_ENCRYPTION_KEY_ID is 3, but DATA_ENCRYPTION_KEY has no key with that id/,
    );
  });

  it("takes the session encrypted by default, as against para-local as against Para; SESSION_TRANSPORT=any also takes it plain", () => {
    expect(loadConfig({ PARA_DATA_DIR: dataDir }).session.transport).toBe("encrypted");
    expect(para({ PARA_API_KEY: "sandbox_k", SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY }).session.transport).toBe("encrypted");
    expect(loadConfig({ PARA_DATA_DIR: dataDir, SESSION_TRANSPORT: "any" }).session.transport).toBe("any");
    expect(() => loadConfig({ PARA_DATA_DIR: dataDir, SESSION_TRANSPORT: "plain" })).toThrow(/SESSION_TRANSPORT must be "encrypted"/);
  });

  it("needs WORKFLOW_POSTGRES_URL, a Postgres URL, with the workflow engine's Postgres world", () => {
    const world = { PARA_DATA_DIR: dataDir, WORKFLOW_TARGET_WORLD: "@workflow/world-postgres" };
    expect(() => loadConfig(world)).toThrow(/^WORKFLOW_POSTGRES_URL is required/);
    expect(() => loadConfig({ ...world, WORKFLOW_POSTGRES_URL: "mysql://localhost/world" })).toThrow(/WORKFLOW_POSTGRES_URL/);
    expect(() => loadConfig({ ...world, WORKFLOW_POSTGRES_URL: "postgres://localhost/world" })).not.toThrow();
  });

  it("says what is wrong with a weak secret, a short key or a bad database URL", () => {
    const base = { PARA_API_KEY: "beta_abc", SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY };
    expect(() => para({ ...base, SESSION_SECRET: "c2hvcnQ=" })).toThrow(
      /SESSION_SECRET: secret 1 is 5 bytes of base64; it must be at least 32/,
    );
    expect(() => para({ ...base, DATA_ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(
      /DATA_ENCRYPTION_KEY: key 1 is 5 bytes of base64; it must be exactly 32/,
    );
    expect(() => para({ ...base, DATA_ENCRYPTION_KEY: randomBytes(48).toString("base64") })).toThrow(/must be exactly 32/);
    // A passphrase, however long, is not base64 of random bytes; nor is a run of one character (valid base64).
    expect(() => para({ ...base, SESSION_SECRET: "correct horse battery staple and then some more words" })).toThrow(
      /SESSION_SECRET: secret 1 is not base64.*openssl rand -base64 32/,
    );
    expect(() => para({ ...base, SESSION_SECRET: "a".repeat(44) })).toThrow(/SESSION_SECRET: secret 1 does not look random/);
    expect(() => para({ ...base, DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") })).toThrow(/key 1 does not look random/);
    // Base64 that does not re-encode to itself (no padding, stray characters) is refused rather than read loosely.
    expect(() => para({ ...base, DATA_ENCRYPTION_KEY: KEY.replace(/=+$/, "") })).toThrow(/key 1 is not base64/);
    expect(() => para({ ...base, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => para({ ...base, VERCEL: "1" })).toThrow(/DATABASE_URL is required on Vercel/);
    expect(() => para({ ...base, PARA_TIMEOUT_MS: "soon" })).toThrow(/PARA_TIMEOUT_MS must be a positive whole number/);
    expect(() => para({ ...base, SEPOLIA_RPC_URL: "not a url" })).toThrow(/SEPOLIA_RPC_URL must be an http\(s\) URL/);
    expect(() => para({ ...base, PARA_DEBUG_LOGS: "yes" })).toThrow(/PARA_DEBUG_LOGS must be 1 or 0/);
    expect(() => para({ ...base, LOCAL_BUNDLER_URL: "ws://127.0.0.1:4337" })).toThrow(/LOCAL_BUNDLER_URL must be an http\(s\) URL/);
    expect(() => para({ ...base, LOCAL_CHAIN_FUNDER_KEY: "0x1234" })).toThrow(/LOCAL_CHAIN_FUNDER_KEY must be a 0x-prefixed 32-byte hex/);
  });

  it("on Vercel, refuses to start without PARA_API_KEY before writing anything, and sizes the pool for serverless Postgres", () => {
    // Without a key it would fall back to para-local and write local secrets into a read-only folder.
    expect(() => loadConfig({ PARA_DATA_DIR: dataDir, VERCEL: "1", DATABASE_URL: "postgres://db/app" })).toThrow(
      /^PARA_API_KEY is required on Vercel/,
    );
    expect(() => readFileSync(path.join(dataDir, "secrets.json"))).toThrow(/ENOENT/);

    const vercel = para({
      VERCEL: "1",
      PARA_API_KEY: "prod_abc",
      SESSION_SECRET: SECRET,
      DATA_ENCRYPTION_KEY: KEY,
      DATABASE_URL: "postgres://pooled/app",
    });
    expect(vercel.database).toMatchObject({
      url: "postgres://pooled/app",
      migrationUrl: "postgres://pooled/app",
      onVercel: true,
      pool: { max: 3 },
    });
    expect(vercel.database.pool.idleTimeoutMs).toBeLessThanOrEqual(10_000);
    // Migrations take the direct connection when the provider gives one.
    const direct = para({
      VERCEL: "1",
      PARA_API_KEY: "prod_abc",
      SESSION_SECRET: SECRET,
      DATA_ENCRYPTION_KEY: KEY,
      DATABASE_URL: "postgres://pooled/app",
      DATABASE_URL_UNPOOLED: "postgres://direct/app",
    });
    expect(direct.database).toMatchObject({ url: "postgres://pooled/app", migrationUrl: "postgres://direct/app" });
    expect(
      para({ PARA_API_KEY: "prod_abc", SESSION_SECRET: SECRET, DATA_ENCRYPTION_KEY: KEY, DATABASE_POOL_MAX: "5" }).database.pool.max,
    ).toBe(5);
  });
});
