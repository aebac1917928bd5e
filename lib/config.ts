import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type KeyRing, parseKeyRing } from "./keyring";
import { environmentOfKey, isParaEnvironment, jwksUrlFor, type ParaEnvironment, verifyUrlFor } from "./para/environments";

/** The key para-local accepts. It has no `_`, so the SDK keeps `Environment.DEV` (localhost). */
export const PARA_LOCAL_API_KEY = "para-local-key";

export interface AppConfig {
  /** `local`: no PARA_API_KEY, the SDKs talk to para-local. `para`: the real Para. */
  mode: "local" | "para";
  para: {
    environment: ParaEnvironment;
    apiKey: string;
    /** Sent as `x-external-api-key` to `/sessions/verify` when set. */
    secretKey?: string;
    verifyUrl: string;
    /** Para's JWKS, which verifies the JWTs `issueJwt()` makes (path 3). */
    jwksUrl: string;
    /** When set, a Para JWT's `aud` must be this (Para puts the API key's id there). */
    jwtAudience?: string;
    /** After a JWKS fetch, an unknown key id waits this long before the next fetch. */
    jwksCooldownMs: number;
    /** Upper bound for any one call to Para. */
    timeoutMs: number;
  };
  session: {
    /** iron-session password map: the highest id seals, every id unseals. */
    passwords: Record<string, string>;
    secureCookie: boolean;
  };
  /** AES-256-GCM keys for data at rest (stored sessions, wallet shares), by key id. */
  dataKeys: KeyRing<Buffer>;
  database: { url?: string; embeddedDir: string };
  dataDir: string;
}

/** A configuration mistake, with the variable to fix and how. Start-up fails with it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: AppConfig | undefined;

/** The validated configuration, read once per process. */
export function getConfig(): AppConfig {
  cached ??= loadConfig(process.env);
  return cached;
}

export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  // The data folder is read at run time only: keep it out of the build's file tracing.
  const dataDir = env.PARA_DATA_DIR ? path.resolve(/* turbopackIgnore: true */ env.PARA_DATA_DIR) : path.join(process.cwd(), ".data");
  const apiKey = env.PARA_API_KEY?.trim() || undefined;
  const mode = apiKey ? "para" : "local";
  const environment = apiKey ? resolveEnvironment(apiKey, env.PARA_ENVIRONMENT) : "DEV";
  // Para mode needs secrets from the deployment; locally they are made once and kept in the data folder.
  const secrets = mode === "local" ? localSecrets(dataDir, env) : requiredSecrets(env);

  return {
    mode,
    para: {
      environment,
      apiKey: apiKey ?? PARA_LOCAL_API_KEY,
      secretKey: env.PARA_SECRET_KEY?.trim() || undefined,
      verifyUrl: verifyUrlFor(environment),
      jwksUrl: jwksUrlFor(environment),
      jwtAudience: env.PARA_JWT_AUDIENCE?.trim() || undefined,
      jwksCooldownMs: positiveInt(env.PARA_JWKS_COOLDOWN_MS, "PARA_JWKS_COOLDOWN_MS") ?? 30_000,
      timeoutMs: positiveInt(env.PARA_TIMEOUT_MS, "PARA_TIMEOUT_MS") ?? 15_000,
    },
    session: {
      passwords: sessionPasswords(secrets.sessionSecret),
      secureCookie: env.NODE_ENV === "production",
    },
    dataKeys: dataKeys(secrets.dataEncryptionKey),
    database: { url: databaseUrl(env), embeddedDir: path.join(dataDir, "pglite") },
    dataDir,
  };
}

function resolveEnvironment(apiKey: string, requested: string | undefined): ParaEnvironment {
  const ofKey = environmentOfKey(apiKey);
  if (ofKey === "invalid") {
    throw new ConfigError("PARA_API_KEY has an unknown environment prefix: it should start with sandbox_, beta_ or prod_ (or have none).");
  }
  const wanted = requested?.trim().toUpperCase();
  if (wanted !== undefined && wanted !== "" && (!isParaEnvironment(wanted) || wanted === "DEV")) {
    throw new ConfigError(`PARA_ENVIRONMENT must be SANDBOX, BETA or PROD (got "${requested}").`);
  }
  if (ofKey && wanted && ofKey !== wanted) {
    throw new ConfigError(`PARA_ENVIRONMENT is ${wanted} but PARA_API_KEY is a ${ofKey} key: the SDK would use ${ofKey}. Make them agree.`);
  }
  const environment = ofKey ?? (wanted as ParaEnvironment | undefined);
  if (!environment) throw new ConfigError("PARA_ENVIRONMENT is required when PARA_API_KEY has no environment prefix: set SANDBOX, BETA or PROD.");
  if (environment === "DEV") throw new ConfigError("PARA_API_KEY is a dev_ key: unset PARA_API_KEY to use para-local instead.");
  return environment;
}

interface Secrets {
  sessionSecret: string;
  dataEncryptionKey: string;
}

function requiredSecrets(env: NodeJS.ProcessEnv): Secrets {
  const missing = ["SESSION_SECRET", "DATA_ENCRYPTION_KEY"].filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new ConfigError(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} required when PARA_API_KEY is set. Make each with \`openssl rand -base64 32\` (see .env.example).`,
    );
  }
  return { sessionSecret: env.SESSION_SECRET!.trim(), dataEncryptionKey: env.DATA_ENCRYPTION_KEY!.trim() };
}

/** Secrets for local use: from the environment if given, else made on first run into `<data>/secrets.json`. */
function localSecrets(dataDir: string, env: NodeJS.ProcessEnv): Secrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>;
  } catch {
    const fresh: Secrets = { sessionSecret: randomBytes(32).toString("base64"), dataEncryptionKey: randomBytes(32).toString("base64") };
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      // `wx`: if another process made the file first, read theirs instead of overwriting it.
      writeFileSync(file, JSON.stringify(fresh, null, 2), { flag: "wx", mode: 0o600 });
      stored = fresh;
    } catch {
      stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>;
    }
  }
  return {
    sessionSecret: env.SESSION_SECRET?.trim() || stored.sessionSecret || "",
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY?.trim() || stored.dataEncryptionKey || "",
  };
}

function sessionPasswords(raw: string): Record<string, string> {
  try {
    // iron-session takes the text as its password; it must still be the base64 of random bytes.
    const ring = parseKeyRing(raw, (value, id) => (randomBytesOf(value, `secret ${id}`, { min: 32 }), value));
    return Object.fromEntries([...ring.keys].map(([id, value]) => [String(id), value]));
  } catch (error) {
    throw new ConfigError(`SESSION_SECRET: ${(error as Error).message}. Make one with \`openssl rand -base64 32\`.`);
  }
}

function dataKeys(raw: string): KeyRing<Buffer> {
  try {
    return parseKeyRing(raw, (value, id) => randomBytesOf(value, `key ${id}`, { min: 32, max: 32 }));
  } catch (error) {
    throw new ConfigError(`DATA_ENCRYPTION_KEY: ${(error as Error).message}. Make one with \`openssl rand -base64 32\`.`);
  }
}

/**
 * The bytes of a secret given as base64 of random bytes (what `openssl rand -base64 32` prints):
 * strict base64 (decoding and encoding again gives back the text, so a passphrase or a typo is
 * not silently truncated), of the right length, and not a run of one pattern ("aaaa…" is valid
 * base64 too; 32 random bytes have about 30 distinct values).
 */
function randomBytesOf(value: string, name: string, { min, max }: { min: number; max?: number }): Buffer {
  const bytes = Buffer.from(value, "base64");
  if (value === "" || bytes.toString("base64") !== value) throw new Error(`${name} is not base64 (a passphrase is not enough)`);
  if (bytes.length < min || (max !== undefined && bytes.length > max)) {
    throw new Error(`${name} is ${bytes.length} bytes of base64; it must be ${max === min ? "exactly" : "at least"} ${min}`);
  }
  if (new Set(bytes).size < 16) throw new Error(`${name} does not look random (too few distinct bytes)`);
  return bytes;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError("DATABASE_URL must be a postgres:// URL.");
  // Serverless instances share nothing on disk: an embedded database would lose data between requests.
  if (!url && env.VERCEL) throw new ConfigError("DATABASE_URL is required on Vercel (a Postgres connection string).");
  return url || undefined;
}

function positiveInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive whole number.`);
  return value;
}
