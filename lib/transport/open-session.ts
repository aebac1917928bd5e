import "server-only";
import { decodeProtectedHeader, errors, jwtDecrypt } from "jose";
import { z } from "zod";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { TRANSPORT_ALG, TRANSPORT_ENC, TRANSPORT_MAX_AGE_SECONDS } from "./encrypt-session";
import { transportKeys } from "./keys";
import { takeJti } from "./used-jtis";

/** How the exported session reached the server: encrypted to a transport key (`kid`), or as it was. */
export type SessionTransport = { encrypted: true; kid: string } | { encrypted: false };

const claimsSchema = z.object({
  session: z.string().min(1),
  jti: z.string().min(1).max(200),
  iat: z.number(),
  exp: z.number(),
});

/** Five base64url parts: a JWE in compact form. An exported session is standard base64, with no dots. */
const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The exported session inside `body` (`POST /api/session`'s `session`): an encrypted JWT to one of
 * the server's transport keys, for this app (`audience`, its origin), unexpired, lasting at most
 * 5 minutes, and never seen before (its `jti`, shared by every instance through the database).
 * A plain exported session is refused unless SESSION_TRANSPORT=any. Each refusal has its own code.
 */
export async function openSession(body: string, audience: string): Promise<{ session: string; transport: SessionTransport }> {
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
      clockTolerance: 30,
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
  if (!(await takeJti(jti, new Date(exp * 1000)))) {
    throw new AppError("transport_replayed", "This encrypted session was already sent once. Encrypt it again to send it again.");
  }
  return { session, transport: { encrypted: true, kid: key.kid } };
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
    // `iat` too old (maxTokenAge) or in the future.
    if (error.claim === "iat") return new AppError("transport_expired", "The encrypted session was made too long ago, or in the future.");
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
