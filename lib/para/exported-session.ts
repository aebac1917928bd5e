import "server-only";
import { z } from "zod";
import { AppError } from "../errors";

const walletSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().optional(),
  address: z.string().optional(),
  signer: z.string().optional(),
});

/** The parts of `exportSession()`'s JSON the server SDK needs to import it (checked before it sees it). */
const exportedSessionSchema = z.looseObject({
  userId: z.string().min(1),
  wallets: z.record(z.string(), walletSchema),
  currentWalletIds: z.record(z.string(), z.array(z.string())),
  authInfo: z.looseObject({ authType: z.string(), identifier: z.string() }).nullish(),
  sessionCookie: z.string().nullish(),
});

/** The public facts of an exported session: safe to store beside it, log or return. */
export interface SessionIdentity {
  userId: string;
  authType: string;
  identifier: string;
  /** True when every wallet carries its signer, so the server can sign with it. */
  hasSigners: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks that `serialized` is what `exportSession()` makes (base64 of a JSON object with
 * `userId`, `wallets` and `currentWalletIds`) and reads its identity. The SDK would throw a
 * bare TypeError from deep inside on anything else.
 */
export function readExportedSession(serialized: string): SessionIdentity {
  if (!BASE64.test(serialized)) throw invalid("The session is not base64. Send the string waitAndExportSession() returns.");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(serialized, "base64").toString("utf8"));
  } catch {
    throw invalid("The session is base64 but not of JSON. Send the string waitAndExportSession() returns.");
  }
  const parsed = exportedSessionSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))].join(", ");
    throw invalid(`The session is missing or has malformed fields: ${fields}.`);
  }
  const { userId, wallets, authInfo } = parsed.data;
  const list = Object.values(wallets);
  return {
    userId,
    authType: authInfo?.authType ?? "unknown",
    identifier: authInfo?.identifier ?? "",
    hasSigners: list.length > 0 && list.every((wallet) => typeof wallet.signer === "string" && wallet.signer.length > 0),
  };
}

function invalid(message: string): AppError {
  return new AppError("session_invalid", message);
}
