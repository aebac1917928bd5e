import type { Context } from "hono";
import { createFactory } from "hono/factory";
import { validator } from "hono/validator";
import { z } from "zod";
import { HTTPException } from "hono/http-exception";
import type { Partner, Session, Store } from "../state.js";

/** The Hono environment every para-local API route runs in. */
export interface ApiEnv {
  Variables: {
    store: Store;
    testMode: boolean;
    /** The partner whose API key the request carries; set on every route that needs one (not the keyless ones). */
    partner: Partner;
  };
}

export type ApiContext = Context<ApiEnv>;

export const SESSION_HEADER = "x-capsule-sid";

/** What the API-key check answers (403), word for word: a test fault can imitate it. */
export const INVALID_API_KEY = "invalid API key";

/** Para answers errors as plain text; the SDK turns the body into `ParaApiError.message`. */
export function fail(status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503, message: string): never {
  throw new HTTPException(status, { res: plainTextError(status, message) });
}

/** An error answer in Para's form, for any 4xx or 5xx (test faults). */
export function plainTextError(status: number, message: string): Response {
  return new Response(message, { status, headers: { "content-type": "text/plain" } });
}

/** Route handlers typed for the para-local API; `api/app.ts` mounts them (`factory.createHandlers`). */
export const factory = createFactory<ApiEnv>();

/**
 * Validates the JSON body with `schema` (hono's validator, zod's parse): a body that is not JSON,
 * or not what the schema says, is a 400 in Para's plain-text form, naming the first wrong field.
 * A request without a JSON content type (body-less POSTs) is checked as `{}`.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return validator("json", (value): z.output<T> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) fail(400, describeIssue(parsed.error.issues[0]));
    return parsed.data;
  });
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "invalid request body";
  const path = issue.path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index ? "." : ""}${String(part)}`)).join("");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A non-empty string (what Para's API asks for most ids and texts). */
export const text = () => z.string().min(1);

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

/**
 * The session of the request, created (anonymous, for the calling partner) when missing or
 * expired; its cookie goes back in the header. An existing session keeps its own partner.
 */
export function ensureSession(c: ApiContext): Session {
  const session = currentSession(c) ?? c.get("store").createSession(c.get("partner").id);
  c.header(SESSION_HEADER, c.get("store").cookieHeader(session));
  return session;
}
