"use client";

import { useAccount, useModal, useWallet } from "@getpara/react-sdk";

/** The Para sign-in button, and who is signed in once the modal is done. */
export function ConnectPanel() {
  const { openModal } = useModal();
  const account = useAccount();
  const { data: wallet } = useWallet();
  const embedded = account.embedded;

  if (!embedded.isConnected) {
    return (
      <button type="button" className="button" onClick={() => openModal()} disabled={account.isLoading}>
        {account.isLoading ? "Loading…" : "Sign in with Para"}
      </button>
    );
  }

  return (
    <section aria-label="Signed-in user" className="card">
      <p>
        Signed in as <strong data-testid="identity">{embedded.email ?? embedded.phone ?? embedded.userId}</strong>
      </p>
      {wallet?.address ? (
        <p>
          {wallet.type} wallet <code data-testid="wallet-address">{wallet.address}</code>
        </p>
      ) : null}
      <button type="button" className="button secondary" onClick={() => openModal()}>
        Open account
      </button>
    </section>
  );
}
