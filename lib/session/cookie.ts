import "server-only";
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { getConfig } from "../config";

/** Which validation path the server's view of the user came from. */
export type SessionPath = "import" | "token";

/**
 * What the browser's encrypted cookie holds: an opaque id of the stored Para session
 * (import path only) and the public identity. Never the exported session itself.
 */
export interface SessionData {
  sid?: string;
  userId?: string;
  authType?: string;
  identifier?: string;
  path?: SessionPath;
  validatedAt?: string;
}

export const SESSION_COOKIE_NAME = "para_server_sessions";
/** Matches Para's default session length; a cookie outliving the Para session is useless. */
export const SESSION_TTL_SECONDS = 2 * 60 * 60;

export function sessionOptions(): SessionOptions {
  const { session } = getConfig();
  return {
    password: session.passwords,
    cookieName: SESSION_COOKIE_NAME,
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: {
      httpOnly: true,
      sameSite: "lax",
      secure: session.secureCookie,
      path: "/",
    },
  };
}

/** The request's session cookie (empty when missing, tampered with, or sealed with an unknown secret). */
export async function getSession() {
  return getIronSession<SessionData>(await cookies(), sessionOptions());
}
