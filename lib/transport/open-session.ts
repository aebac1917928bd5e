import "server-only";
import { decodeProtectedHeader, errors, jwtDecrypt } from "jose";
import { z } from "zod";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { logError } from "../log";
import { TRANSPORT_ALG, TRANSPORT_ENC, TRANSPORT_MAX_AGE_SECONDS } from "./encrypt-session";
import { transportKeys } from "./keys";
import { giveBackJti, takeJti } from "./used-jtis";

/** How the exported session reached the server: encrypted to a transport key (`kid`), or as it was. */
export type SessionTransport = { encrypted: true; kid: string } | { encrypted: false };

const claimsSchema = z.object({
  session: z.string().min(1),
  // Printable ASCII: it is stored as it is (a UUID from the app's pages).
  jti: z.string().regex(/^[\x21-\x7e]{1,200}$/),
  iat: z.number(),
  exp: z.number(),
});

/** How far the server's clock and the browser's may disagree: accepted past `exp`, and so remembered past it too. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** Five base64url parts: a JWE in compact form. An exported session is standard base64, with no dots. */
const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The exported session inside `body` (`POST /api/session`'s `session`): an encrypted JWT to one of
 * the server's transport keys, for this app (`audience`, its origin), unexpired, lasting at most
 * 5 minutes, and never seen before (its `jti`, taken here, shared by every instance through the
 * database). A plain exported session is refused unless SESSION_TRANSPORT=any. Each refusal has
 * its own code.
 */
async function openSession(body: string, audience: string): Promise<{ session: string; transport: SessionTransport; jti?: string }> {
  if (!COMPACT_JWE.test(body)) {
    if (getConfig().session.transport === "any") return { session: body, transport: { encrypted: false } };
    throw new AppError(
      "encryption_required",
      "Send the session encrypted to the server's key (a JWE; see GET /api/session/transport-key), not as waitAndExportSession() returned it.",
    );
  }
  const kid = kidOf(body);
  const key = (await transportKeys()).find((candidate) => candidate.kid === kid);
  if (!key) {
    throw new AppError(
      "transport_key_unknown",
      "The session is encrypted to a key this server does not have. Fetch GET /api/session/transport-key again.",
    );
  }
  let payload: unknown;
  try {
    ({ payload } = await jwtDecrypt(body, key.privateKey, {
      keyManagementAlgorithms: [TRANSPORT_ALG],
      contentEncryptionAlgorithms: [TRANSPORT_ENC],
      audience,
      requiredClaims: ["iat", "exp", "jti", "aud"],
      maxTokenAge: TRANSPORT_MAX_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // The browser never compresses: a compressed JWE could unpack to far more than the body limit.
      maxDecompressedLength: 0,
    }));
  } catch (error) {
    throw decryptError(error);
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new AppError("transport_invalid", "The encrypted session's claims are not {session, jti, iat, exp, aud}.");
  const { session, jti, iat, exp } = claims.data;
  if (exp - iat > TRANSPORT_MAX_AGE_SECONDS) {
    throw new AppError(
      "transport_expired",
      `An encrypted session may travel for ${TRANSPORT_MAX_AGE_SECONDS / 60} minutes at most (exp − iat).`,
    );
  }
  // Remembered for as long as it would be accepted, and a minute more for instances whose clocks differ.
  if (!(await takeJti(jti, new Date((exp + CLOCK_TOLERANCE_SECONDS + 60) * 1000)))) {
    throw new AppError("transport_replayed", "This encrypted session was already sent once. Encrypt it again to send it again.");
  }
  return { session, transport: { encrypted: true, kid: key.kid }, jti };
}

/**
 * Opens the session in `body` (see `openSession`) and runs `importSession` with it. If that fails, the
 * encrypted session's `jti` is given back: a refused or failed import leaves no row, and the same
 * request may be sent again. The answer carries how the session travelled.
 */
export async function withOpenedSession<T extends object>(
  body: string,
  audience: string,
  importSession: (session: string) => Promise<T>,
): Promise<T & { transport: SessionTransport }> {
  const { session, transport, jti } = await openSession(body, audience);
  try {
    return { ...(await importSession(session)), transport };
  } catch (error) {
    if (jti) await giveBackJti(jti).catch((failure: unknown) => logError("session-transport", failure));
    throw error;
  }
}

function kidOf(jwe: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jwe);
    return typeof kid === "string" ? kid : undefined;
  } catch (error) {
    throw new AppError("transport_invalid", "The encrypted session's header is not readable.", { cause: error });
  }
}

function decryptError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return new AppError("transport_expired", "The encrypted session has expired. Encrypt it again.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return new AppError("transport_audience", "The encrypted session is addressed to another app (aud).");
    // `iat` too old (maxTokenAge) or in the future; one that is not a number is the claims' fault.
    if (error.claim === "iat" && error.reason === "check_failed") {
      return new AppError("transport_expired", "The encrypted session was made too long ago, or in the future.");
    }
    return new AppError("transport_invalid", `The encrypted session's "${error.claim}" claim is not acceptable.`, { cause: error });
  }
  return new AppError(
    "transport_invalid",
    "The encrypted session does not decrypt with this server's key (tampered, or not made for it).",
    {
      cause: error,
    },
  );
}
