import "server-only";
import { Environment, initClient, paraVersion } from "@getpara/core-sdk";
import { getConfig } from "../../config";

// lib/para/sdk-internals/ holds every piece of the Para SDKs that Para's docs do not document:
// this file (core-sdk's API client), para-server.ts (what the app's ParaServer overrides) and
// browser-storage.ts (the browser SDK's storage key). Each says what it relies on, and
// tests/lib/sdk-internals.test.ts fails when an SDK upgrade changes any of it. Pinned: 2.18.0.

/** Para's answer to `POST /touch` for a session (core-sdk's `SessionInfo`, the parts the app reads). */
export interface TouchAnswer {
  userId?: string;
  /** The Para app (partner) the session belongs to. */
  partnerId?: string;
  /** Para's id for the session, the same across cookie rotations. */
  sessionId?: string;
  isAuthenticated?: boolean;
  currentWalletIds?: Partial<Record<string, string[]>>;
  cosmosPrefix?: string;
}

/**
 * Para's API client, without a `ParaServer` around it: one HTTP request per call, no state
 * machine in front. Relies on: core-sdk's exports `initClient` and `paraVersion`, and the
 * client's `touchSession(regenerate)`, `keepSessionAlive(userId)` and `issueJwt({keyIndex})` —
 * the client `ParaServer` itself calls. `onCookie` gets each new session cookie Para sends.
 */
export function createParaApiClient(sessionCookie: string, onCookie: (cookie: string) => void = () => {}) {
  const { para } = getConfig();
  let cookie = sessionCookie;
  return initClient({
    env: Environment[para.environment],
    version: paraVersion,
    apiKey: para.apiKey,
    retrieveSessionCookie: () => cookie,
    persistSessionCookie: (next) => {
      cookie = next;
      onCookie(next);
    },
  });
}
