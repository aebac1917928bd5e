import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { AppError } from "../errors";
import { limitParaRefusals } from "../http/rate-limit";
import { checkCurrentSession, type ServerSessionView, verifyJwtView } from "./service";

/**
 * The data access layer's one question: who is this request's user, as the server can prove it
 * now? A `Authorization: Bearer <Para JWT>` is verified (path 3, no call to Para); otherwise the
 * cookie's session is checked (Para is asked on the import path). Throws the API's 401s when there
 * is no user or the session has ended. Cached for the request, so a page and its parts ask once.
 */
export const verifySession = cache(async (): Promise<ServerSessionView> => {
  const requestHeaders = await headers();
  const authorization = requestHeaders.get("authorization");
  if (authorization !== null) return limitParaRefusals(requestHeaders, () => verifyJwtView(bearerToken(authorization)));
  return checkCurrentSession();
});

/** For pages: the user, or null when there is none (no session, or it has ended). Other failures still throw. */
export async function currentUser(): Promise<ServerSessionView | null> {
  try {
    return await verifySession();
  } catch (error) {
    if (error instanceof AppError && error.status === 401) return null;
    throw error;
  }
}

function bearerToken(authorization: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AppError("session_malformed", "The Authorization header must be `Bearer <the token para.issueJwt() returned>`.");
  return match[1]!;
}
