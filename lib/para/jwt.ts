import "server-only";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { z } from "zod";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { MAX_IDENTITY_WALLETS, type ParaIdentity, paraWalletSchema } from "./identity";
import { appJwtAudience } from "./partner";

/** The claims Para documents for `issueJwt()` tokens; `sub` is the user id and must agree with `data.userId`. */
const claimsSchema = z.object({
  sub: z.string().min(1).max(100),
  exp: z.number(),
  data: z.object({
    userId: z.string().min(1).max(100),
    authType: z.string().min(1).max(40),
    identifier: z.string().max(320),
    wallets: z.array(paraWalletSchema).max(MAX_IDENTITY_WALLETS).default([]),
    oAuthMethod: z.string().min(1).max(40).optional(),
  }),
});

/** A Para JWT, verified: the identity in its claims and when it stops being valid. */
export interface VerifiedParaJwt {
  identity: ParaIdentity;
  expiresAt: Date;
}

let jwks: { url: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;

/**
 * The environment's JWKS, fetched once and kept in this process (not a Para SDK instance: it
 * holds only public keys). jose refetches it when a token names an unknown key id, at most once
 * per cooldown, so a stream of forged key ids cannot make the server hammer Para.
 */
function paraKeys() {
  const { jwksUrl, jwksCooldownMs, timeoutMs } = getConfig().para;
  if (jwks?.url !== jwksUrl) {
    jwks = {
      url: jwksUrl,
      keys: createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: jwksCooldownMs, timeoutDuration: timeoutMs }),
    };
  }
  return jwks.keys;
}

/**
 * Path 3: verifies a JWT from `para.issueJwt()` against Para's JWKS — RS256 only, `exp`, `iat`
 * and `sub` required, `aud` this app's partner id (lib/para/partner.ts) — with no call to Para
 * once the keys and the partner id are known. 400 `session_malformed` for something that is not a
 * JWT; 401 `session_invalid` for a token Para did not sign as presented; 401 `session_expired` after `exp`.
 *
 * `fromPara`: the server fetched this token from Para itself (the import path), so an unknown key
 * id means Para has rotated its keys, not that someone is probing: refetch the JWKS at once
 * instead of waiting out the cooldown that guards against tokens sent by clients.
 */
export async function verifyParaJwt(token: string, { fromPara = false }: { fromPara?: boolean } = {}): Promise<VerifiedParaJwt> {
  const audience = await appJwtAudience();
  let payload: unknown;
  try {
    payload = await verifyWithParaKeys(token, audience);
  } catch (error) {
    if (!(fromPara && error instanceof errors.JWKSNoMatchingKey)) throw jwtError(error);
    try {
      await paraKeys().reload();
      payload = await verifyWithParaKeys(token, audience);
    } catch (retried) {
      throw jwtError(retried);
    }
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw untrusted("The JWT's claims are not those of a Para session token.");
  const { sub, exp, data } = claims.data;
  if (data.userId !== sub) throw untrusted("The JWT's data.userId differs from its subject.");
  return {
    identity: { userId: sub, authType: data.authType, identifier: data.identifier, wallets: data.wallets, oAuthMethod: data.oAuthMethod },
    expiresAt: new Date(exp * 1000),
  };
}

async function verifyWithParaKeys(token: string, audience: string): Promise<unknown> {
  const { payload } = await jwtVerify(token, paraKeys(), {
    algorithms: ["RS256"],
    // Required and this app's: a token Para signed for another app (another partner) is not for here.
    audience,
    requiredClaims: ["exp", "iat", "sub"],
    // Requires `iat` and refuses one in the future; Para sessions last at most 30 days.
    maxTokenAge: "30d",
    clockTolerance: 30,
  });
  return payload;
}

function jwtError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) {
    return new AppError("session_expired", "The Para JWT has expired. Issue a new one (issueJwt()) or sign in again.");
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new AppError("session_malformed", "The token is not a JWT. Send the token issueJwt() returned.", { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return untrusted("The JWT is not signed with RS256, as Para's are.", error);
  // No `kid` while Para publishes several keys (normal after a rotation): the client's token, not Para, is at fault.
  if (error instanceof errors.JWKSMultipleMatchingKeys) return untrusted("The JWT names no key id (kid), as Para's tokens do.", error);
  if (error instanceof errors.JWKSNoMatchingKey) return untrusted("The JWT is signed with a key Para does not publish.", error);
  if (error instanceof errors.JWSSignatureVerificationFailed) return untrusted("The JWT's signature does not verify.", error);
  if (error instanceof errors.JWTClaimValidationFailed) return untrusted(`The JWT's "${error.claim}" claim is not acceptable.`, error);
  if (error instanceof errors.JWKSTimeout)
    return new AppError("upstream_unavailable", "Para's JWKS did not answer in time.", { cause: error });
  // A header asking for what jose does not do (`crit`, an unknown `zip`): the client's token, not Para.
  if (error instanceof errors.JOSENotSupported) return untrusted("The JWT asks for a feature Para's tokens do not use.", error);
  if (error instanceof errors.JOSEError) return new AppError("upstream_error", "Para's JWKS could not be used.", { cause: error });
  // fetch() failing: the JWKS host could not be reached.
  return new AppError("upstream_unavailable", "Para's JWKS could not be reached.", { cause: error });
}

function untrusted(message: string, cause?: unknown): AppError {
  return new AppError("session_invalid", message, { cause });
}
