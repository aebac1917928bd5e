// What other test suites (tests/, e2e/, bench/) may use of para-local: its /test controls, a
// server SDK pointed at it, and the key helpers that read its wallet formats. Vitest's per-file
// lifecycle is in ./vitest.ts (Playwright must not import Vitest).
import type ParaCore from "@getpara/core-sdk";
import { Environment, Para as ParaServer } from "@getpara/server-sdk";

import { INVALID_API_KEY } from "../api/context.js";
import type { KeepAliveLimitStatus, KeepAliveMode, OAuthMethod } from "../state.js";

export { cosmosAddress, decodeSigner } from "../keys/wallet-keys.js";
export { LOCAL_PARTNER, OTHER_PARTNER, type ParaLocal, startParaLocal } from "../server.js";
export { DEFAULT_SESSION_LENGTH_MS, parseSessionLength } from "../session-length.js";
export type { KeepAliveLimitStatus, KeepAliveMode, OAuthMethod } from "../state.js";

export const API_URL = "http://localhost:8080";
/** LOCAL_PARTNER's keys (server.ts): the API key the SDK sends, and the secret `/sessions/verify` accepts. */
export const API_KEY = "para-local-key";
export const SECRET_KEY = "para-local-secret";
export const PARTNER_ID = "6f1c3c2e-0b5e-4c8e-9a51-7a1d3e0c9b42";
/** OTHER_PARTNER's (server.ts): another app on the same Para, whose sessions and JWTs name its own id. */
export const OTHER_API_KEY = "para-local-other-key";
export const OTHER_SECRET_KEY = "para-local-other-secret";
export const OTHER_PARTNER_ID = "0d8b7a54-3f2e-4c19-8e6a-5b4c3d2e1f07";

export interface MintedSession {
  userId: string;
  authType: "email" | "phone";
  identifier: string;
  /** `per-scheme` (SDK 2.18's sign-up, the default) or `per-type` (one wallet per type, as older SDKs made). */
  layout: WalletLayout;
  sessionCookie: string;
  /** What `exportSession()` returns: feed it to `importSession()`. */
  session: string;
  /** One entry per wallet type, with the address that type shows: in `per-scheme`, EVM and COSMOS share one wallet id. */
  wallets: { id: string; type: "EVM" | "SOLANA" | "COSMOS"; address: string }[];
}

export type WalletLayout = "per-scheme" | "per-type";

/** POSTs to a /test control; throws with para-local's answer unless it is 200. */
export async function control<T = unknown>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${API_URL}/test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/test${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * A signed-in user and their exported session; `partner: "other"` makes it another app's session,
 * `oAuthMethod` one signed in with that provider (an email user whose JWT and `/sessions/verify` name it).
 */
export const mintSession = (
  options: { email?: string; phone?: string; layout?: WalletLayout; partner?: "main" | "other"; oAuthMethod?: OAuthMethod } = {},
) => control<MintedSession>("/sessions", options);
export const expireUserSessions = (userId: string) => control<{ expired: number }>("/sessions/expire", { userId });
export const advanceClock = (advanceMs: number) => control("/clock", { advanceMs });
export const setSessionLength = (ms: number) => control("/session-length", { ms });
export const resetParaLocal = () => control("/reset");
export const rotateJwtKey = () => control<{ kid: string }>("/jwt/rotate");
/** The next `count` (1–3) signature requests fail with 503 (the worker retries twice, logging each as Para's does; 3 fails the job). */
export const failNextSignatures = (count = 1) => control("/signatures/fail", { count });
/** The wallet's next signature is held for approval: Para answers `{pendingTransactionId}` instead of signing. */
export const holdNextSignature = (walletId: string) => control("/signatures/hold", { walletId });
/** The next `count` requests for `method` `path` (`:param` matches a segment) are answered `ms` late. */
export const delayRequests = (delay: { method: string; path: string; ms: number; count?: number }) => control("/delay", delay);
/**
 * The next `count` `/touch` answers for the user's live sessions say "not signed in"; with
 * `newCookie`, they also hand over a new anonymous session's cookie (the real session lives on).
 */
export const answerFalseNegatives = (userId: string, count = 1, { newCookie = false }: { newCookie?: boolean } = {}) =>
  control("/sessions/false-negative", { userId, count, newCookie });
/** How keep-alive answers from now on: `renew` (default), `silent`, `stale` or `ignore` (see README). */
export const setKeepAliveMode = (mode: KeepAliveMode) => control("/keep-alive/mode", { mode });
/** Only `allow` keep-alive calls per `windowMs` (from the next call) succeed; the rest answer `status` (429 by default). */
export const limitKeepAlive = (limit: { allow: number; windowMs: number; status?: KeepAliveLimitStatus }) =>
  control("/keep-alive/limit", limit);
/** The next `count` (default 1) requests for `method` `path` (`:param` matches a segment) answer `status` with `message`. */
export const injectFault = (fault: { method: string; path: string; status: number; message?: string; count?: number }) =>
  control("/faults", fault);
/** What a key problem looks like (the API-key check's own answer): `injectFault({method, path, ...INVALID_API_KEY_FAULT})`. */
export const INVALID_API_KEY_FAULT = { status: 403, message: INVALID_API_KEY } as const;
/** A token signed with para-local's current JWT key over exactly `payload` (Para would never issue most of these). */
export const signJwtWithParaLocalKey = (payload: Record<string, unknown>) =>
  control<{ token: string; keyId: string }>("/jwt/sign", { payload });

export function walletOf(minted: MintedSession, type: MintedSession["wallets"][number]["type"]) {
  const wallet = minted.wallets.find((w) => w.type === type);
  if (!wallet) throw new Error(`minted session has no ${type} wallet`);
  return wallet;
}

/**
 * A server SDK instance as the app makes one: DEV env, para-local's key (or `apiKey`, e.g.
 * OTHER_API_KEY). `disableWebSockets` keeps the signing worker from starting at construction (it
 * starts on the first keygen or signature instead), so tests that only validate leave nothing running.
 */
export function newParaServer(apiKey = API_KEY): ParaServer {
  return new ParaServer(Environment.DEV, apiKey, { disableWebSockets: true });
}

/** A server SDK instance holding the minted user's session, as a route handler would have it. */
export async function importedParaServer(minted: MintedSession, apiKey = API_KEY): Promise<ParaServer> {
  const para = newParaServer(apiKey);
  await para.importSession(minted.session);
  return para;
}

/**
 * The instance as the @getpara/* integrations type their argument. ParaServer declares
 * `claimPregenWallets` with a different return type than ParaCore (an SDK typing mismatch),
 * so TypeScript refuses the server class where the integrations ask for ParaCore; at run
 * time it is a ParaCore.
 */
export function forIntegrations(para: ParaServer): ParaCore {
  return para as unknown as ParaCore;
}

/** POST /sessions/verify as a partner's server calls it. */
export async function verifyToken(body: unknown, headers: Record<string, string> = { "x-partner-id": API_KEY }) {
  const response = await fetch(`${API_URL}/sessions/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * A raw API call, as the SDK would send it (API key by default; `cookie` as `x-capsule-sid`).
 * `sessionHeader` is the `x-capsule-sid` the answer carried (null: none), as the SDK would store it.
 */
export async function api(
  method: string,
  path: string,
  { body, cookie, apiKey = API_KEY }: { body?: unknown; cookie?: string; apiKey?: string | null } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers["x-external-api-key"] = apiKey;
  if (cookie) headers["x-capsule-sid"] = cookie;
  const response = await fetch(`${API_URL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), sessionHeader: response.headers.get("x-capsule-sid") };
}

/** The `Expires` of a session cookie as the SDK stores it, in ms since the epoch (NaN when it has none). */
export function cookieExpires(cookie: string): number {
  return Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? "");
}

/** The DEV SDK's chatter: state dumps, state-machine steps and connector notices. */
const SDK_CHATTER = /^(\[(CoreStateManager|core|auth|wallet|waitFor\w*)\]|External wallet provider interface)/;

/**
 * Drops the DEV SDK's state dumps (it prints one on every state change)
 * so test output shows what matters; errors and anything else still print.
 */
export function quietSdkLogs(): void {
  for (const level of ["log", "warn"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      if (typeof args[0] === "string" && SDK_CHATTER.test(args[0])) return;
      original(...args);
    };
  }
}
