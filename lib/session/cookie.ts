import "server-only";
import { getIronSession, type IronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { getConfig } from "../config";
import type { WalletView } from "../para/wallet-view";
import { SESSION_COOKIE_NAMES, sessionCookieName } from "./cookie-name";

/** Which validation path the server's view of the user came from. */
export type SessionPath = "import" | "token" | "jwt";

/**
 * What the browser's encrypted cookie holds: an opaque id of the stored Para session
 * (import path only) and the public identity Para gave. Never the exported session itself.
 */
export interface SessionData {
  sid?: string;
  /** Para's user id: from its signed claims (import, JWT); the token path names none. */
  userId?: string;
  authType?: string;
  identifier?: string;
  path?: SessionPath;
  validatedAt?: string;
  /** JWT path: the token's expiry, after which the cookie answers `session_expired`. */
  expiresAt?: string;
  /** JWT path: the wallets in the token's claims (the import path keeps them in its row). */
  wallets?: WalletView[];
}

/** Matches Para's default session length; a cookie outliving the Para session is useless. */
export const SESSION_TTL_SECONDS = 2 * 60 * 60;

export function sessionOptions(): SessionOptions {
  const { session } = getConfig();
  return {
    password: session.passwords,
    cookieName: sessionCookieName(session.secureCookie),
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: {
      httpOnly: true,
      sameSite: "lax",
      secure: session.secureCookie,
      path: "/",
    },
  };
}

/**
 * Whether the request carries a session cookie at all, without opening it: for pages that only
 * decide whether asking the API is worth it (an optimistic check, like `proxy.ts`'s).
 */
export async function hasSessionCookie(): Promise<boolean> {
  const jar = await cookies();
  return SESSION_COOKIE_NAMES.some((name) => jar.has(name));
}

/** The request's session cookie (empty when missing, tampered with, or sealed with an unknown secret). */
export async function getSession() {
  return getIronSession<SessionData>(await cookies(), sessionOptions());
}

/** Replaces everything the cookie holds with `fields`: a new sign-in keeps nothing of the last one. */
export function replaceSessionData(session: IronSession<SessionData>, fields: SessionData): void {
  for (const key of Object.keys(session) as (keyof SessionData)[]) delete session[key];
  Object.assign(session, fields);
}

/**
 * Clears the cookie. A page render (the DAL on `/account`) cannot set cookies: there Next throws,
 * and the cookie stays until the next API call — harmless, as it names a stored session that is gone.
 */
export function clearSessionCookie(session: IronSession<SessionData>): void {
  try {
    session.destroy();
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("Cookies can only be modified"))) throw error;
  }
}
