import { normaliseEmail, type OAuthMethod, type Session, type Store } from "./state.js";

/**
 * What the portal's OAuth consent page does on the store: it stands in for the provider (Google,
 * X, …), which para-local cannot reach. The modal opens the page in a popup at
 * `/auth/<method>?sessionId=<lookup id>&…`, where `<method>` is the SDK's name lower-cased
 * (core-sdk PortalUrlService `constructPortalUrl("oAuth")`), and polls `POST /users/verify-oauth`
 * until the session has an answer. To Para an OAuth user is an email user: the provider vouches
 * for the email, so there is no code to type, and the password flow follows as for email.
 */
export const OAUTH_PROVIDERS: ReadonlyMap<string, { method: OAuthMethod; name: string }> = new Map([
  ["google", { method: "google", name: "Google" }],
  ["twitter", { method: "x", name: "X" }],
  ["apple", { method: "apple", name: "Apple" }],
  ["discord", { method: "discord", name: "Discord" }],
  ["facebook", { method: "facebook", name: "Facebook" }],
]);

type Refusal = { ok: false; status: 400 | 404 | 409; message: string };
export type OAuthResult = { ok: true } | Refusal;

/** The session the consent page was opened for, while it still waits for an answer; otherwise what the page says. */
export function pendingOAuthSession(store: Store, sessionLookupId: string): { ok: true; session: Session } | Refusal {
  const session = store.findSessionByLookupId(sessionLookupId);
  if (!session) return { ok: false, status: 404, message: "This sign-in has expired. Close this window and start again." };
  if (session.authenticated) return { ok: false, status: 409, message: "This session is already signed in." };
  if (session.oAuth)
    return { ok: false, status: 409, message: "This sign-in has already been answered. Close this window and start again." };
  return { ok: true, session };
}

/**
 * Consent: the provider vouches for `email`. The user is found or created as an email user
 * (verified, as the provider checked the address), the session is theirs but not yet signed in,
 * and `/users/verify-oauth` answers `signup` or `login` from now on.
 */
export function consentToOAuth(store: Store, input: { method: OAuthMethod; sessionLookupId: string; email: string }): OAuthResult {
  const pending = pendingOAuthSession(store, input.sessionLookupId);
  if (!pending.ok) return pending;
  const { session } = pending;
  const email = normaliseEmail(input.email);
  if (!email) return { ok: false, status: 400, message: "Enter an email address." };
  const user = store.findUserByIdentifier("email", email) ?? store.createUser("email", email);
  user.verified = true;
  if (!user.oAuthMethods?.includes(input.method)) user.oAuthMethods = [...(user.oAuthMethods ?? []), input.method];
  session.userId = user.id;
  session.authenticated = false;
  session.oAuth = { method: input.method, outcome: "consented", delivered: false };
  return { ok: true };
}

/** The user said no at the provider: the session stays anonymous and `/users/verify-oauth` never answers a stage for it. */
export function refuseOAuth(store: Store, input: { method: OAuthMethod; sessionLookupId: string }): OAuthResult {
  const pending = pendingOAuthSession(store, input.sessionLookupId);
  if (!pending.ok) return pending;
  pending.session.oAuth = { method: input.method, outcome: "refused", delivered: false };
  return { ok: true };
}

/**
 * Whether the SDK has been handed the answer. The page closes itself only then: the SDK cancels
 * when it finds the popup closed after a poll that came back without a stage (react-sdk-lite
 * AuthProvider `oAuthPollingCallbacks.onPoll`), and a poll answered just before the consent could
 * otherwise come back after the popup closed.
 */
export function oAuthDelivered(store: Store, sessionLookupId: string): boolean {
  return store.findSessionByLookupId(sessionLookupId)?.oAuth?.delivered ?? false;
}
