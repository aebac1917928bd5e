"use client";

import { useAccount, useModal } from "@getpara/react-sdk-lite";
import type { ReactNode } from "react";

export { signInHint } from "./para/on-demand";

/** The Para sign-in button in a card, with what to say above it, once the SDK has loaded. */
export function SignInCard({ children }: { children: ReactNode }) {
  const { openModal } = useModal();
  const account = useAccount();
  return (
    <section className="card stack" aria-label="Sign in">
      {children}
      <div>
        <button type="button" className="button" onClick={() => openModal()} disabled={account.isLoading} aria-busy={account.isLoading}>
          {account.isLoading ? "Loading…" : "Sign in with Para"}
        </button>
      </div>
    </section>
  );
}
