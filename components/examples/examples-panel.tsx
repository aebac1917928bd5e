"use client";

import { useAccount, useClient } from "@getpara/react-sdk-lite";
import { useState } from "react";
import { type ApiResult, browserSdkFailure, sendSession } from "../api-client";
import { PregenWallets, usePregenWalletSets } from "./pregen-wallets";
import { ScheduledActions } from "./scheduled-actions";
import { SigningGrid } from "./signing-grid";
import { SmartAccount } from "./smart-account";
import { SignInCard, signInHint } from "../sign-in-card";

/**
 * The examples, in the order they need things: the session on the server (with signers, for the
 * session column), the pregenerated wallets (for the pregen column), then the grid of recipes.
 */
export function ExamplesPanel({ mode, serverSession }: { mode: "local" | "para"; serverSession: boolean }) {
  const para = useClient();
  const account = useAccount();
  // The EVM wallet by name: the SDK's selected wallet may be the secp256k1 one typed COSMOS, shown with its EVM address.
  const evmWallet = account.embedded.wallets?.find((candidate) => candidate.type === "EVM");
  const [sent, setSent] = useState<ApiResult | null>(null);
  const [sending, setSending] = useState(false);
  const [selectedSet, setSelectedSet] = useState<string | null>(null);
  // Bumped after each successful send, so the list of pregenerated wallets asks again.
  const [sessionVersion, setSessionVersion] = useState(0);
  // The server can list the user's sets once it holds a session: a cookie from an earlier visit, or one sent here.
  const listEnabled = account.embedded.isConnected && (serverSession || sessionVersion > 0);
  const { sets } = usePregenWalletSets(sessionVersion, listEnabled);
  // Until the user picks one, the newest set signs.
  const pregenSetId = sets.some((set) => set.id === selectedSet) ? selectedSet : (sets.at(-1)?.id ?? null);

  if (!account.embedded.isConnected || !para) {
    return (
      <SignInCard>
        <p>Sign in with Para first. {signInHint(mode)}</p>
      </SignInCard>
    );
  }

  async function sendWithSigners() {
    if (!para) return;
    setSending(true);
    // Signers included: the server can sign with the session only if it holds them.
    const result = await para
      .waitAndExportSession()
      .then((session) => sendSession(session))
      .catch((error: unknown) => browserSdkFailure(error, "export the session"));
    setSent(result);
    if (result.ok) setSessionVersion((version) => version + 1);
    setSending(false);
  }

  const hasSigners = sent?.ok === true && (sent.body as { hasSigners?: unknown } | null)?.hasSigners === true;

  return (
    <div className="stack">
      <p className="muted" data-testid="browser-identity">
        Signed in in the browser as <strong>{account.embedded.email ?? account.embedded.phone ?? account.embedded.userId}</strong>
        {evmWallet?.address ? (
          <>
            {" "}
            with EVM wallet <code data-testid="browser-wallet-address">{evmWallet.address}</code>
          </>
        ) : null}
        .
      </p>
      <section className="step" aria-labelledby="send-signers-title" data-testid="send-signers">
        <h2 id="send-signers-title">1. Your session on the server</h2>
        <p className="muted">
          <code>waitAndExportSession()</code> <em>with</em> signers, then <code>POST /api/session</code>. Only then can the session column
          sign; the pregen column needs any session the server holds.
        </p>
        <button type="button" className="button" onClick={() => void sendWithSigners()} disabled={sending} aria-busy={sending}>
          {sending ? "Sending…" : "Send session with signers"}
        </button>
        {sent ? (
          <p className={sent.ok ? "badge ok" : "badge error"} data-testid="send-signers-result" data-status={sent.status}>
            {hasSigners
              ? "The server holds your session with signers"
              : (sent.errorMessage ?? "The server holds your session without signers")}
          </p>
        ) : null}
      </section>

      <PregenWallets selected={pregenSetId} onSelect={setSelectedSet} sessionVersion={sessionVersion} enabled={listEnabled} />

      <SigningGrid pregenSetId={pregenSetId} />

      <SmartAccount pregenSetId={pregenSetId} />

      <ScheduledActions enabled={listEnabled} />
    </div>
  );
}
