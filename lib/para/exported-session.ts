import "server-only";
import { z } from "zod";
import { AppError } from "../errors";
import type { ParaIdentity } from "./identity";

const walletSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().optional(),
  address: z.string().optional(),
  publicKey: z.string().optional(),
  signer: z.string().optional(),
  isExternal: z.boolean().optional(),
});

/** The parts of `exportSession()`'s JSON the server reads (checked before the SDK sees it). */
const exportedSessionSchema = z.looseObject({
  userId: z.string().min(1),
  wallets: z.record(z.string(), walletSchema),
  currentWalletIds: z.record(z.string(), z.array(z.string())),
  authInfo: z.looseObject({ authType: z.string(), identifier: z.string() }).nullish(),
  // What is sent to Para as a header: printable ASCII, and no longer than a cookie can be.
  sessionCookie: z
    .string()
    .max(4096)
    .regex(/^[\x20-\x7e]*$/)
    .nullish(),
  externalWallets: z.record(z.string(), z.unknown()).nullish(),
});

/**
 * What an exported session *claims*: nothing in it is signed, so none of it is the user's
 * identity. The server uses the cookie to ask Para, then checks the claims against Para's answer.
 */
export interface ExportedSession {
  claimedUserId: string;
  /** Para's session cookie: the only part Para can vouch for. */
  sessionCookie: string;
  wallets: { id: string; type?: string; address?: string; publicKey?: string }[];
  /** True when every wallet carries its signer, so the server can sign with it. */
  hasSigners: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks that `serialized` is what `exportSession()` makes (base64 of a JSON object with
 * `userId`, `wallets` and `currentWalletIds`; the SDK would throw a bare TypeError on anything
 * else), and that it is a session the server can ask Para about: a Para session cookie, embedded
 * wallets only. 400 `session_malformed` for a malformed string, 401 `session_invalid` for one the server will not use.
 */
export function readExportedSession(serialized: string): ExportedSession {
  if (!BASE64.test(serialized)) throw malformed("The session is not base64. Send the string waitAndExportSession() returns.");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(serialized, "base64").toString("utf8"));
  } catch {
    throw malformed("The session is base64 but not of JSON. Send the string waitAndExportSession() returns.");
  }
  // The SDK's own JSON is four levels deep; anything far deeper is not an exported session.
  if (depthOf(json) > MAX_DEPTH)
    throw malformed(`The session's JSON is nested more than ${MAX_DEPTH} levels deep; an exported session is not.`);
  const parsed = exportedSessionSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))].join(", ");
    throw malformed(`The session is missing or has malformed fields: ${fields}.`);
  }
  const { userId, wallets, sessionCookie, externalWallets } = parsed.data;
  // A session of external wallets only is "active" in the SDK without asking Para: nothing vouches for it.
  if (externalWallets && Object.keys(externalWallets).length > 0) {
    throw untrusted("The session carries external wallets; the server accepts Para (embedded-wallet) sessions only.");
  }
  if (!sessionCookie) throw untrusted("The session has no Para session cookie, so Para cannot vouch for it. Sign in with Para first.");
  const list = Object.values(wallets);
  if (list.length === 0 || list.some((wallet) => wallet.isExternal)) {
    throw untrusted(
      "The session has no embedded Para wallets (or lists external ones); the server accepts Para sessions with their wallets.",
    );
  }
  return {
    claimedUserId: userId,
    sessionCookie,
    wallets: list.map(({ id, type, address, publicKey }) => ({ id, type, address, publicKey })),
    hasSigners: list.every((wallet) => typeof wallet.signer === "string" && wallet.signer.length > 0),
  };
}

/**
 * Refuses an exported session whose claims disagree with what Para says about its cookie: another
 * user id, or a wallet that is not one of Para's wallets for that user (by id, address and key).
 */
export function assertClaimsMatch(exported: ExportedSession, identity: ParaIdentity): void {
  if (exported.claimedUserId !== identity.userId) {
    throw untrusted("The session's userId is not the user Para says the session belongs to.");
  }
  for (const wallet of exported.wallets) {
    const known = identity.wallets.find((candidate) => candidate.id === wallet.id);
    const same = (claimed?: string, actual?: string) => !claimed || !actual || claimed.toLowerCase() === actual.toLowerCase();
    if (!known || !same(wallet.address, known.address) || !same(wallet.publicKey, known.publicKey) || !same(wallet.type, known.type)) {
      throw untrusted("The session lists a wallet that Para does not list for this user.");
    }
  }
}

/** The exported session with the cookie Para last sent for it (Para may rotate or renew it). */
export function withSessionCookie(serialized: string, sessionCookie: string): string {
  const json = JSON.parse(Buffer.from(serialized, "base64").toString("utf8")) as Record<string, unknown>;
  if (json.sessionCookie === sessionCookie) return serialized;
  return Buffer.from(JSON.stringify({ ...json, sessionCookie })).toString("base64");
}

const MAX_DEPTH = 8;

/** How deeply arrays and objects nest in `value` (a scalar is 0), without recursing past the limit. */
function depthOf(value: unknown, depth = 0): number {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}

function malformed(message: string): AppError {
  return new AppError("session_malformed", message);
}

function untrusted(message: string): AppError {
  return new AppError("session_invalid", message);
}
