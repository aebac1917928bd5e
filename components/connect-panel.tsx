"use client";

import { useAccount, useModal, useWallet } from "@getpara/react-sdk";
import { SessionPanel } from "./session-panel";

/** Signed out: the Para sign-in button. Signed in: who the browser says you are, and the session flow. */
export function ConnectPanel() {
  const { openModal } = useModal();
  const account = useAccount();
  const { data: wallet } = useWallet();
  const embedded = account.embedded;

  if (!embedded.isConnected) {
    return (
      <section className="card stack" aria-label="Sign in">
        <p>Sign in with any email and any 6-digit code{account.isLoading ? "" : "; Para creates EVM, Solana and Cosmos wallets for you"}.</p>
        <div>
          <button type="button" className="button" onClick={() => openModal()} disabled={account.isLoading} aria-busy={account.isLoading}>
            {account.isLoading ? "Loading…" : "Sign in with Para"}
          </button>
        </div>
      </section>
    );
  }

  return (
    <div className="stack">
      <section aria-label="Signed in with Para" className="card" data-testid="browser-view">
        <h2>Signed in in the browser</h2>
        <p>
          As <strong data-testid="identity">{embedded.email ?? embedded.phone ?? embedded.userId}</strong>
          {wallet?.address ? (
            <>
              {" "}
              with {wallet.type} wallet <code data-testid="wallet-address">{wallet.address}</code>
            </>
          ) : null}
        </p>
        <button type="button" className="button secondary" onClick={() => openModal()}>
          Open Para account
        </button>
      </section>
      <h2>Hand the session to the server</h2>
      <SessionPanel />
    </div>
  );
}
