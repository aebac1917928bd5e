"use client";

import { useAccount, useModal } from "@getpara/react-sdk";
import type { ReactNode } from "react";

/** The Para sign-in button in a card, with what to say above it. */
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

/** How to sign in: para-local takes any email and code; Para is Para. */
export function signInHint(mode: "local" | "para"): string {
  return mode === "local" ? "Any email and any 6-digit code will do: para-local accepts them." : "Sign in with your email or phone.";
}
