import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Session, Store } from "../state.js";

/** The Hono environment every para-local API route runs in. */
export interface ApiEnv {
  Variables: {
    store: Store;
    testMode: boolean;
  };
}

export type ApiContext = Context<ApiEnv>;

export const SESSION_HEADER = "x-capsule-sid";

/** Para answers errors as plain text; the SDK turns the body into `ParaApiError.message`. */
export function fail(status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503, message: string): never {
  throw new HTTPException(status, { res: new Response(message, { status, headers: { "content-type": "text/plain" } }) });
}

/** The JSON body, or a 400 when it is missing or not an object. Body-less POSTs read as `{}`. */
export async function readJson(c: ApiContext): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through to the 400 below
  }
  fail(400, "request body must be a JSON object");
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") fail(400, `${field} is required`);
  return value;
}

/** The live session named by the request's `x-capsule-sid`, if any. */
export function currentSession(c: ApiContext): Session | undefined {
  return c.get("store").findSession(c.req.header(SESSION_HEADER));
}

/** The live, signed-in session of the request, or 401/403 as Para answers. */
export function requireAuthenticated(c: ApiContext, userId?: string): Session & { userId: string } {
  const session = currentSession(c);
  if (!session?.authenticated || !session.userId) fail(401, "session expired or not signed in");
  if (userId !== undefined && session.userId !== userId) fail(403, "forbidden");
  return session as Session & { userId: string };
}

/** The session of the request, created (anonymous) when missing or expired; its cookie goes back in the header. */
export function ensureSession(c: ApiContext): Session {
  const session = currentSession(c) ?? c.get("store").createSession();
  c.header(SESSION_HEADER, c.get("store").cookieHeader(session));
  return session;
}
