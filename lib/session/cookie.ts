import "server-only";
import { getIronSession, type IronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { getConfig } from "../config";
import { SESSION_COOKIE_NAMES, sessionCookieName } from "./cookie-name";

/** Para sessions last at most 30 days (the longest Para's developer portal sets): no cookie outlives that. */
export const MAX_SESSION_SECONDS = 30 * 24 * 60 * 60;

/** Which validation path the server's view of the user came from. */
export type SessionPath = "import" | "token" | "jwt";

/**
 * What the browser's encrypted cookie holds: the id of the server's row for this session (on every
 * path: deleting the row ends every copy of the cookie) and the public identity Para gave. Never
 * the exported session or a token.
 */
export interface SessionData {
  sid?: string;
  /** Para's id for the session (import path): logout ends every row of it, even when `sid`'s row is gone. */
  paraSessionId?: string;
  /** Para's user id: from its signed claims (import, JWT); the token path names none. */
  userId?: string;
  authType?: string;
  identifier?: string;
  path?: SessionPath;
  validatedAt?: string;
}

/** iron-session's defaults for a cookie it only reads; a cookie it writes lasts as long as the session (`saveSessionCookie`). */
export function sessionOptions(ttlSeconds = MAX_SESSION_SECONDS + COOKIE_SKEW_SECONDS): SessionOptions {
  const { session } = getConfig();
  return {
    password: session.passwords,
    cookieName: sessionCookieName(session.secureCookie),
    ttl: ttlSeconds,
    cookieOptions: {
      httpOnly: true,
      sameSite: "lax",
      secure: session.secureCookie,
      path: "/",
    },
  };
}

/** iron-session gives a cookie `Max-Age = ttl − 60 s` (and the seal the full ttl): this much is added back. */
const COOKIE_SKEW_SECONDS = 60;

/**
 * Replaces everything the cookie holds with `fields` and sets it to end when the session does
 * (`Max-Age` and the seal): a new sign-in keeps nothing of the last one, and a cookie never
 * outlives the Para session it names.
 */
export async function saveSessionCookie(session: IronSession<SessionData>, fields: SessionData, endsAt: Date): Promise<void> {
  for (const key of Object.keys(session) as (keyof SessionData)[]) delete session[key];
  Object.assign(session, fields);
  const seconds = Math.max(1, Math.floor((endsAt.getTime() - Date.now()) / 1000));
  session.updateConfig(sessionOptions(seconds + COOKIE_SKEW_SECONDS));
  await session.save();
}

/**
 * Whether the request carries a session cookie at all, without opening it: for pages that only
 * decide whether asking the API is worth it (an optimistic check, like `proxy.ts`'s).
 */
export async function hasSessionCookie(): Promise<boolean> {
  const jar = await cookies();
  return SESSION_COOKIE_NAMES.some((name) => jar.has(name));
}

/** Para's user id as the cookie holds it (the server sealed it there): whom a request speaks for, before it is checked. */
export async function cookieUserId(): Promise<string | undefined> {
  return (await getSession()).userId;
}

/** The request's session cookie (empty when missing, tampered with, or sealed with an unknown secret). */
export async function getSession() {
  return getIronSession<SessionData>(await cookies(), sessionOptions());
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
