import { type NextRequest, NextResponse } from "next/server";
import { securityHeaders } from "./lib/http/security-headers";
import { SESSION_COOKIE_NAMES } from "./lib/session/cookie-name";

/**
 * Every request: the security headers (lib/http/security-headers.ts) with a fresh CSP nonce, which
 * Next reads from the request's CSP header and puts on its own scripts. For `/account` also an
 * optimistic check: a visitor without a session cookie is sent home before the page renders.
 * Whether the cookie is good is decided next to the data (`verifySession()`), never here.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const headers = securityHeaders({ nonce, development: process.env.NODE_ENV === "development" });

  const signedOut = !SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name));
  if (request.nextUrl.pathname === "/account" && signedOut) return withHeaders(NextResponse.redirect(new URL("/", request.url)), headers);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", headers["content-security-policy"]!);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

function withHeaders(response: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but Next's static files (served immutable, with no page in them) and the workflow
  // engine's own routes, which its queue calls (the engine asks proxies to leave them alone).
  matcher: [{ source: "/((?!_next/static|_next/image|\\.well-known/workflow/).*)" }],
};
