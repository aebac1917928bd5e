"use client";

import { useAccount, useModal } from "@getpara/react-sdk-lite";
import { useState } from "react";
import type { ApiResult } from "./api-client";
import { BrowserWallets } from "./browser-wallets";
import { SessionPanel } from "./session-panel";
import { SignInCard, signInHint } from "./sign-in-card";

/** Signed out: the Para sign-in button. Signed in: who the browser says you are, and the session flow. */
export function ConnectPanel({ mode }: { mode: "local" | "para" }) {
  const { openModal } = useModal();
  const account = useAccount();
  const embedded = account.embedded;
  // Step 6 signs the browser out, which swaps the session panel for this card: keep its answer to show here.
  const [signedOut, setSignedOut] = useState<ApiResult | null>(null);
  if (embedded.isConnected && signedOut) setSignedOut(null);

  if (!embedded.isConnected) {
    return (
      <SignInCard>
        {signedOut ? <SignedOutNotice result={signedOut} /> : null}
        <p>{signInHint(mode)} Para creates EVM, Solana and Cosmos wallets for you.</p>
      </SignInCard>
    );
  }

  return (
    <div className="stack">
      <section aria-labelledby="browser-view-title" className="card stack-tight" data-testid="browser-view">
        <h2 id="browser-view-title">Signed in in the browser</h2>
        <p>
          As <strong data-testid="identity">{embedded.email ?? embedded.phone ?? embedded.userId}</strong>
        </p>
        <BrowserWallets wallets={embedded.wallets} />
        <div>
          <button type="button" className="button secondary" onClick={() => openModal()}>
            Open Para account
          </button>
        </div>
      </section>
      <h2>Show the server who you are</h2>
      <SessionPanel onSignedOut={setSignedOut} />
    </div>
  );
}

/** What step 6 did, in words: the server's answer to DELETE /api/session, and the browser's sign-out. */
function SignedOutNotice({ result }: { result: ApiResult }) {
  return (
    <output className="notice-ok" data-testid="signed-out" data-status={result.status} data-code={result.errorCode}>
      {result.ok
        ? "You are signed out: the server forgot its copy of your session and the browser logged out of Para."
        : `The browser logged out of Para, but the server did not confirm: ${result.errorMessage ?? `HTTP ${result.status}`}`}
    </output>
  );
}
