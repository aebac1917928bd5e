import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE_NAMES } from "./lib/session/cookie-name";

/**
 * An optimistic check only: a visitor without a session cookie is sent home before `/account`
 * renders. Whether the cookie is good is decided next to the data (`verifySession()`), never here.
 */
export function proxy(request: NextRequest) {
  if (SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name))) return NextResponse.next();
  return NextResponse.redirect(new URL("/", request.url));
}

export const config = { matcher: ["/account"] };
