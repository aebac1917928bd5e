"use client";

import { type ReactNode, useState, useSyncExternalStore } from "react";
import { PARA_BROWSER_SESSION_KEY } from "@/lib/para/sdk-internals/browser-storage";

/** Why the Para SDK is wanted: the user pressed Sign in (open the modal), or a session is there to restore. */
export type ParaDemand = { openModal: boolean };

/**
 * When to load the Para SDK: not on first load. It is wanted once the user presses Sign in, or at
 * once when this browser holds a Para session (a returning user is restored on reload).
 */
export function useParaOnDemand(): { demand: ParaDemand | null; signIn: () => void } {
  const [demand, setDemand] = useState<ParaDemand | null>(null);
  // The server (and hydration) render the signed-out card; then the browser's storage decides.
  const restorable = useSyncExternalStore(noSubscription, hasParaSession, () => false);
  // Once loaded the SDK stays: signing out clears the storage, and the SDK then shows its own sign-in.
  if (restorable && !demand) setDemand({ openModal: false });
  return { demand, signIn: () => setDemand({ openModal: true }) };
}

const hasParaSession = () => window.localStorage.getItem(PARA_BROWSER_SESSION_KEY) !== null;
// The storage is read once per render; no event tells this tab when another one signs in.
const noSubscription = () => () => {};

/**
 * The sign-in card before the SDK has loaded: rendered on the server, no Para code in it. Pressing
 * the button asks for the SDK; pointing at it or focusing it starts the download early.
 */
export function SignInPrompt({ children, onSignIn, preload }: { children: ReactNode; onSignIn: () => void; preload: () => void }) {
  return (
    <section className="card stack" aria-label="Sign in">
      {children}
      <div>
        <button type="button" className="button" onClick={onSignIn} onPointerEnter={preload} onFocus={preload}>
          Sign in with Para
        </button>
      </div>
    </section>
  );
}

/** While the SDK downloads and restores the session. */
export function ParaLoading() {
  return (
    <section className="card muted" aria-busy="true" data-testid="para-loading">
      Loading Para…
    </section>
  );
}

/** How to sign in: para-local takes any email and code; Para is Para. */
export function signInHint(mode: "local" | "para"): string {
  return mode === "local"
    ? "Any email and any 6-digit code will do, or a social sign-in: para-local accepts them."
    : "Sign in with your email, your phone or a social account.";
}
