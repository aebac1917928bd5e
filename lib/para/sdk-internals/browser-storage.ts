// The one piece of undocumented Para SDK surface the browser relies on (the server's are beside it,
// in api-client.ts and para-server.ts); tests/lib/sdk-internals.test.ts fails if an SDK upgrade changes it.

/**
 * Where the browser SDK keeps a signed-in session in `localStorage` (relies on: core-sdk's
 * `LOCAL_STORAGE_SESSION_COOKIE`, `@CAPSULE/` prefix). Present means a user to restore.
 */
export const PARA_BROWSER_SESSION_KEY = "@CAPSULE/sessionCookie";
