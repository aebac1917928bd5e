import "server-only";
import { randomUUID } from "node:crypto";
import { type NextRequest, NextResponse } from "next/server";
import { asDatabaseUnavailable } from "../db/unavailable";
import { AppError, toAppError } from "../errors";
import { logError, logRequest } from "../log";
import { PARA_CALLS_HEADER, traceParaCalls } from "../para/trace";
import { isJsonContentType } from "./json-body";

type Handler<C> = (request: NextRequest, context: C) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler: a request id, one log line, the same-origin check on every
 * state-changing request, every thrown error answered as `{error: {code, message}}`, and (when
 * tracing is on) the Para calls the request made, in the `x-para-calls` header.
 */
export function apiRoute<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    const requestId = randomUUID();
    const started = performance.now();
    let response: Response;
    let code: string | undefined;
    const trace = traceParaCalls(async () => {
      if (!SAFE_METHODS.has(request.method)) {
        assertSameOrigin(request);
        assertJsonContentType(request);
      }
      return handler(request, context);
    });
    try {
      response = await trace.run;
    } catch (thrown) {
      const error = toAppError(asDatabaseUnavailable(thrown));
      code = error.code;
      if (error.status >= 500) logError(requestId, thrown);
      response = NextResponse.json(error.toBody(), { status: error.status });
      if (error.retryAfterSeconds !== undefined)
        response.headers.set("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    }
    response.headers.set("x-request-id", requestId);
    // What this request cost at Para (method, path, status, ms): the home page shows it under each step.
    if (trace.calls) response.headers.set(PARA_CALLS_HEADER, JSON.stringify(trace.calls));
    response.headers.set("cache-control", "no-store");
    logRequest({
      requestId,
      method: request.method,
      path: request.nextUrl.pathname,
      status: response.status,
      ms: performance.now() - started,
      code,
    });
    return response;
  };
}

/**
 * Every state-changing request declares `Content-Type: application/json`, bodiless ones too (an
 * empty body is fine). A browser sends no other type cross-site without a CORS preflight, which
 * this app never answers, so a form or a `text/plain` beacon from another site cannot reach a
 * route even where `Sec-Fetch-Site` and `Origin` are missing.
 */
function assertJsonContentType(request: NextRequest): void {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send state-changing requests with Content-Type: application/json (bodiless ones too).");
  }
}

/**
 * Refuses cross-site requests that change state. Browsers send `Sec-Fetch-Site` and
 * `Origin` on such requests; clients without them (curl, servers) are not browsers
 * carrying someone's cookie, so they pass.
 */
function assertSameOrigin(request: NextRequest): void {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("cross_origin", "Cross-site requests cannot change session state.");
  }
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = requestHost(request);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("cross_origin", "The request's Origin header is not a URL.");
  }
  if (originHost !== host) throw new AppError("cross_origin", "Cross-origin requests cannot change session state.");
}

/** The host this request was sent to, as the browser named it (a proxy's forwarded one first). */
function requestHost(request: NextRequest): string | null {
  // A chain of proxies may list several, the browser's first.
  return request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
}

/** The origin this request was sent to, as the browser saw it: what the browser puts in an encrypted session's `aud`. */
export function requestOrigin(request: NextRequest): string {
  const protocol = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || request.nextUrl.protocol.replace(/:$/, "");
  return `${protocol}://${requestHost(request) ?? request.nextUrl.host}`;
}
