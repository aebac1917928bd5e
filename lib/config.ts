import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type KeyRing, parseKeyRing } from "./keyring";
import { environmentOfKey, isParaEnvironment, jwksUrlFor, type ParaEnvironment, verifyUrlFor } from "./para/environments";

/** The key para-local accepts. It has no `_`, so the SDK keeps `Environment.DEV` (localhost). */
export const PARA_LOCAL_API_KEY = "para-local-key";

/** A variable's text, trimmed; unset and blank are the same (a blank line in `.env` means "not set"). */
const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

const positiveInt = (name: string) =>
  text
    .refine(
      (value) => value === undefined || (Number.isSafeInteger(Number(value)) && Number(value) > 0),
      `${name} must be a positive whole number.`,
    )
    .transform((value) => (value === undefined ? undefined : Number(value)));

const postgresUrl = (name: string) =>
  text.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), `${name} must be a postgres:// URL.`);

const rpcUrl = (name: string, network: string) =>
  text.refine(
    (value) => value === undefined || (URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol)),
    `${name} must be an http(s) URL: set an RPC endpoint for ${network}, or unset it.`,
  );

/**
 * Every variable the server reads, in one place: nothing else reads `process.env` (but Next's own
 * `NEXT_RUNTIME`). See `.env.example` for what each one is for and how to make the secrets.
 */
const envSchema = z.object({
  NODE_ENV: text,
  /** Set by Vercel in its builds and functions. */
  VERCEL: text,
  PARA_API_KEY: text,
  PARA_ENVIRONMENT: text,
  PARA_SECRET_KEY: text,
  PARA_TIMEOUT_MS: positiveInt("PARA_TIMEOUT_MS"),
  PARA_JWT_AUDIENCE: text,
  PARA_JWKS_COOLDOWN_MS: positiveInt("PARA_JWKS_COOLDOWN_MS"),
  PARA_TOKEN_RECHECK_SECONDS: positiveInt("PARA_TOKEN_RECHECK_SECONDS"),
  SESSION_TRANSPORT: text.refine(
    (value) => value === undefined || value === "encrypted" || value === "any",
    'SESSION_TRANSPORT must be "encrypted" (the default) or "any".',
  ),
  PARA_DEBUG_LOGS: text.refine((value) => value === undefined || value === "0" || value === "1", "PARA_DEBUG_LOGS must be 1 or 0."),
  PARA_TRACE: text.refine((value) => value === undefined || value === "0" || value === "1", "PARA_TRACE must be 1 or 0."),
  SESSION_SECRET: text,
  DATA_ENCRYPTION_KEY: text,
  DATA_ENCRYPTION_KEY_ID: positiveInt("DATA_ENCRYPTION_KEY_ID"),
  DATABASE_URL: postgresUrl("DATABASE_URL"),
  DATABASE_URL_UNPOOLED: postgresUrl("DATABASE_URL_UNPOOLED"),
  // Read by the workflow engine itself; checked here so a mistake stops start-up (docs/grants.md).
  WORKFLOW_TARGET_WORLD: text,
  WORKFLOW_LOCAL_DATA_DIR: text,
  WORKFLOW_POSTGRES_URL: postgresUrl("WORKFLOW_POSTGRES_URL"),
  DATABASE_POOL_MAX: positiveInt("DATABASE_POOL_MAX"),
  PARA_DATA_DIR: text,
  PREGEN_GLOBAL_HOURLY_LIMIT: positiveInt("PREGEN_GLOBAL_HOURLY_LIMIT"),
  TRUSTED_PROXY_HOPS: text
    .refine((value) => value === undefined || /^\d{1,2}$/.test(value), "TRUSTED_PROXY_HOPS must be a whole number of proxies (0 to 99).")
    .transform((value) => (value === undefined ? undefined : Number(value))),
  SEPOLIA_RPC_URL: rpcUrl("SEPOLIA_RPC_URL", "Ethereum Sepolia"),
  SOLANA_DEVNET_RPC_URL: rpcUrl("SOLANA_DEVNET_RPC_URL", "Solana devnet"),
  COSMOS_TESTNET_RPC_URL: rpcUrl("COSMOS_TESTNET_RPC_URL", "the Cosmos Hub testnet"),
  LOCAL_CHAIN_RPC_URL: rpcUrl("LOCAL_CHAIN_RPC_URL", "the local chain (npm run chain)"),
  LOCAL_BUNDLER_URL: rpcUrl("LOCAL_BUNDLER_URL", "the local ERC-4337 bundler (npm run chain)"),
  LOCAL_CHAIN_FUNDER_KEY: text.refine(
    (value) => value === undefined || /^0x[0-9a-fA-F]{64}$/.test(value),
    "LOCAL_CHAIN_FUNDER_KEY must be a 0x-prefixed 32-byte hex private key (one of the local chain's dev accounts).",
  ),
});

type Env = z.infer<typeof envSchema>;

/** The variables that hold a test network's RPC URL (the signing examples broadcast only with one). */
export type RpcUrlVariable = "SEPOLIA_RPC_URL" | "SOLANA_DEVNET_RPC_URL" | "COSMOS_TESTNET_RPC_URL" | "LOCAL_CHAIN_RPC_URL";

export interface DatabaseConfig {
  /** Postgres (DATABASE_URL); unset = embedded PGlite in `embeddedDir`. */
  url?: string;
  /** The direct (unpooled) connection for migrations, when the provider gives one. */
  migrationUrl?: string;
  embeddedDir: string;
  onVercel: boolean;
  pool: { max: number; idleTimeoutMs: number; connectTimeoutMs: number };
}

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
    /** Print the SDK's development logs (state dumps in DEV and SANDBOX). */
    debugLogs: boolean;
    /** List the Para calls each API request made, in its `x-para-calls` header (para-local, or PARA_TRACE=1). */
    trace: boolean;
  };
  session: {
    /** iron-session password map: the highest id seals, every id unseals. */
    passwords: Record<string, string>;
    secureCookie: boolean;
    /** A token-path session is verified with Para again once its last answer is older than this. */
    tokenRecheckMs: number;
    /** `encrypted`: POST /api/session takes the session only as a JWE to the server's key; `any` takes a plain one too. */
    transport: "encrypted" | "any";
  };
  /** AES-256-GCM keys for data at rest (stored sessions, wallet shares), by key id. */
  dataKeys: KeyRing<Buffer>;
  database: DatabaseConfig;
  /** The workflow engine's world (unset: embedded, or Vercel's on Vercel) and the embedded world's folder. */
  workflow: { world?: string; localDataDir: string };
  /**
   * Where a request's client address (for the abuse limits) comes from: on Vercel its edge's
   * `x-real-ip`; elsewhere the `x-forwarded-for` entry that the nearest of `proxyHops` trusted
   * proxies added (the rightmost with none: what Next puts there from the socket).
   */
  clientAddress: { fromVercel: boolean; proxyHops: number };
  /** Pregeneration attempts all users together may make in an hour, refused ones too (each user may also make 5 a day). */
  pregenGlobalHourlyLimit: number;
  /** RPC endpoints of the test networks the signing examples may broadcast to. */
  rpcUrls: Partial<Record<RpcUrlVariable, string>>;
  /**
   * The local chain's ERC-4337 bundler and the dev key that funds wallets there (`npm run chain`).
   * The key is only ever used on a chain whose id is Hardhat's (31337).
   */
  localChain: { bundlerUrl?: string; funderKey?: `0x${string}` };
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

/** Forgets the configuration read so far: for tests that change `process.env` between cases. */
export function resetConfigCache(): void {
  cached = undefined;
}

export function loadConfig(processEnv: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(processEnv);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message).join(" "));
  const env = parsed.data;
  const onVercel = env.VERCEL !== undefined;
  // Checked before anything is written: a deployment must not fall back to para-local and local secrets.
  if (onVercel && !env.PARA_API_KEY) {
    throw new ConfigError(
      "PARA_API_KEY is required on Vercel: a deployment talks to Para, not para-local. Add it in the project's Environment Variables.",
    );
  }
  // Serverless instances share nothing on disk: an embedded database would lose data between requests.
  if (onVercel && !env.DATABASE_URL) throw new ConfigError("DATABASE_URL is required on Vercel (a Postgres connection string).");

  // The Postgres world falls back to a made-up local database without its URL.
  if (env.WORKFLOW_TARGET_WORLD === "@workflow/world-postgres" && !env.WORKFLOW_POSTGRES_URL) {
    throw new ConfigError("WORKFLOW_POSTGRES_URL is required with WORKFLOW_TARGET_WORLD=@workflow/world-postgres.");
  }

  // The data folder is read at run time only: keep it out of the build's file tracing.
  const dataDir = env.PARA_DATA_DIR ? path.resolve(/* turbopackIgnore: true */ env.PARA_DATA_DIR) : path.join(process.cwd(), ".data");
  const apiKey = env.PARA_API_KEY;
  const mode = apiKey ? "para" : "local";
  const environment = apiKey ? resolveEnvironment(apiKey, env.PARA_ENVIRONMENT) : "DEV";
  // Para mode needs secrets from the deployment; locally they are made once and kept in the data folder.
  const secrets = mode === "local" ? localSecrets(dataDir, env) : requiredSecrets(env);

  return {
    mode,
    para: {
      environment,
      apiKey: apiKey ?? PARA_LOCAL_API_KEY,
      secretKey: env.PARA_SECRET_KEY,
      verifyUrl: verifyUrlFor(environment),
      jwksUrl: jwksUrlFor(environment),
      jwtAudience: env.PARA_JWT_AUDIENCE,
      jwksCooldownMs: env.PARA_JWKS_COOLDOWN_MS ?? 30_000,
      // Para recommends 30 s for signing and wallet creation, its slowest calls.
      timeoutMs: env.PARA_TIMEOUT_MS ?? 30_000,
      debugLogs: env.PARA_DEBUG_LOGS === "1",
      trace: mode === "local" ? env.PARA_TRACE !== "0" : env.PARA_TRACE === "1",
    },
    session: {
      passwords: sessionPasswords(secrets.sessionSecret),
      secureCookie: env.NODE_ENV === "production",
      tokenRecheckMs: (env.PARA_TOKEN_RECHECK_SECONDS ?? 60) * 1000,
      transport: env.SESSION_TRANSPORT === "any" ? "any" : "encrypted",
    },
    dataKeys: dataKeys(secrets.dataEncryptionKey, env.DATA_ENCRYPTION_KEY_ID),
    workflow: {
      world: env.WORKFLOW_TARGET_WORLD,
      localDataDir: env.WORKFLOW_LOCAL_DATA_DIR
        ? path.resolve(/* turbopackIgnore: true */ env.WORKFLOW_LOCAL_DATA_DIR)
        : path.join(dataDir, "workflow"),
    },
    database: {
      url: env.DATABASE_URL,
      migrationUrl: env.DATABASE_URL_UNPOOLED ?? env.DATABASE_URL,
      embeddedDir: path.join(dataDir, "pglite"),
      onVercel,
      // Serverless: each instance holds few connections and lets idle ones go soon.
      pool: { max: env.DATABASE_POOL_MAX ?? (onVercel ? 3 : 10), idleTimeoutMs: 10_000, connectTimeoutMs: 5_000 },
    },
    pregenGlobalHourlyLimit: env.PREGEN_GLOBAL_HOURLY_LIMIT ?? 50,
    clientAddress: { fromVercel: onVercel, proxyHops: env.TRUSTED_PROXY_HOPS ?? 0 },
    rpcUrls: {
      SEPOLIA_RPC_URL: env.SEPOLIA_RPC_URL,
      SOLANA_DEVNET_RPC_URL: env.SOLANA_DEVNET_RPC_URL,
      COSMOS_TESTNET_RPC_URL: env.COSMOS_TESTNET_RPC_URL,
      LOCAL_CHAIN_RPC_URL: env.LOCAL_CHAIN_RPC_URL,
    },
    localChain: { bundlerUrl: env.LOCAL_BUNDLER_URL, funderKey: env.LOCAL_CHAIN_FUNDER_KEY as `0x${string}` | undefined },
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
  if (!environment)
    throw new ConfigError("PARA_ENVIRONMENT is required when PARA_API_KEY has no environment prefix: set SANDBOX, BETA or PROD.");
  if (environment === "DEV") throw new ConfigError("PARA_API_KEY is a dev_ key: unset PARA_API_KEY to use para-local instead.");
  return environment;
}

interface Secrets {
  sessionSecret: string;
  dataEncryptionKey: string;
}

function requiredSecrets(env: Env): Secrets {
  const missing = (["SESSION_SECRET", "DATA_ENCRYPTION_KEY"] as const).filter((name) => !env[name]);
  if (missing.length) {
    throw new ConfigError(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} required when PARA_API_KEY is set. Make each with \`openssl rand -base64 32\` (see .env.example).`,
    );
  }
  return { sessionSecret: env.SESSION_SECRET!, dataEncryptionKey: env.DATA_ENCRYPTION_KEY! };
}

/** Secrets for local use: from the environment if given, else made on first run into `<data>/secrets.json`. */
function localSecrets(dataDir: string, env: Env): Secrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>;
  } catch {
    const fresh: Secrets = {
      sessionSecret: randomBytes(32).toString("base64"),
      dataEncryptionKey: randomBytes(32).toString("base64"),
    };
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
    sessionSecret: env.SESSION_SECRET || stored.sessionSecret || "",
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY || stored.dataEncryptionKey || "",
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

/**
 * The data keys. The highest id seals, unless DATA_ENCRYPTION_KEY_ID names another: a rolling
 * rotation first gives every instance the new key for opening only (`2=new,1=old` with
 * DATA_ENCRYPTION_KEY_ID=1), and only then makes it the sealing key, so no instance ever meets a
 * row sealed under a key it does not have.
 */
function dataKeys(raw: string, sealingId: number | undefined): KeyRing<Buffer> {
  let ring: KeyRing<Buffer>;
  try {
    ring = parseKeyRing(raw, (value, id) => randomBytesOf(value, `key ${id}`, { min: 32, max: 32 }));
  } catch (error) {
    throw new ConfigError(`DATA_ENCRYPTION_KEY: ${(error as Error).message}. Make one with \`openssl rand -base64 32\`.`);
  }
  if (sealingId === undefined) return ring;
  if (!ring.keys.has(sealingId)) {
    throw new ConfigError(`DATA_ENCRYPTION_KEY_ID is ${sealingId}, but DATA_ENCRYPTION_KEY has no key with that id.`);
  }
  return { ...ring, currentId: sealingId };
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
