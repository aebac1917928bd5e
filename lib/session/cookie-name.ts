/**
 * The session cookie's name. `__Host-` when the cookie is `Secure`: browsers then refuse it unless
 * it was set over HTTPS (or on localhost) for this exact host with `Path=/`, so a sibling
 * subdomain cannot plant or overwrite it. No imports: `proxy.ts` reads it too.
 */
export const sessionCookieName = (secure: boolean) => (secure ? "__Host-para_server_sessions" : "para_server_sessions");

/** Both names, for code that only asks whether a session cookie is present. */
export const SESSION_COOKIE_NAMES = [sessionCookieName(true), sessionCookieName(false)] as const;
