"use client";

import { useState } from "react";
import { type ApiResult, callApi } from "../api-client";
import type { SigningMode, SmartAccountAnswer } from "./types";
import styles from "./examples.module.css";
import { FailedResult, shorten } from "./result-parts";

const MODES: { mode: SigningMode; label: string }[] = [
  { mode: "session", label: "Owned by your session's wallet" },
  { mode: "pregen", label: "Owned by the pregenerated wallet" },
];

/** The ERC-4337 recipe: a smart account owned by the Para EVM wallet sends a user operation through the bundler. */
export function SmartAccount({ pregenSetId }: { pregenSetId: string | null }) {
  const [results, setResults] = useState<Partial<Record<SigningMode, ApiResult>>>({});
  const [running, setRunning] = useState<Partial<Record<SigningMode, boolean>>>({});

  async function run(mode: SigningMode) {
    setRunning((previous) => ({ ...previous, [mode]: true }));
    const path = `/api/examples/smart-account/${mode}`;
    const result = mode === "pregen" ? await callApi("POST", path, { walletId: pregenSetId }) : await callApi("POST", path);
    setResults((previous) => ({ ...previous, [mode]: result }));
    setRunning((previous) => ({ ...previous, [mode]: false }));
  }

  return (
    <section className="stack-tight" aria-labelledby="smart-account-title">
      <h2 id="smart-account-title">4. Smart account (ERC-4337)</h2>
      <p className="muted">
        <code>POST /api/examples/smart-account/session</code> or <code>…/pregen {"{walletId}"}</code>: a SimpleAccount (EntryPoint v0.7,
        through <code>permissionless</code>) whose owner is the Para EVM wallet, deployed on first use, sends 1 gwei to its owner through
        the bundler. Locally that is <code>npm run chain</code>&apos;s chain and Alto bundler.
      </p>
      <div className={styles.grid}>
        {MODES.map(({ mode, label }) => {
          const noWallet = mode === "pregen" && !pregenSetId;
          return (
            <div className={styles.cell} key={mode} data-testid={`smart-account-${mode}`}>
              <strong>{label}</strong>
              <button
                type="button"
                className="button secondary"
                onClick={() => void run(mode)}
                disabled={running[mode] || noWallet}
                aria-busy={running[mode]}
                title={noWallet ? "Create a pregenerated wallet first" : undefined}
                data-testid={`run-smart-account-${mode}`}
              >
                {running[mode] ? "Sending…" : "Send a user operation"}
              </button>
              <SmartAccountResult result={results[mode]} testId={`result-smart-account-${mode}`} />
            </div>
          );
        })}
      </div>
    </section>
  );
}

function SmartAccountResult({ result, testId }: { result?: ApiResult; testId: string }) {
  if (!result) return null;
  if (!result.ok) return <FailedResult result={result} testId={testId} />;
  const answer = result.body as SmartAccountAnswer;
  return (
    <output className={styles.result} data-testid={testId} data-status={result.status} data-operation={answer.status}>
      <span className="badge ok">
        ✓ included in block {answer.blockNumber}
        {answer.deployedNow ? " · account deployed" : ""}
      </span>
      <dl className={styles.facts}>
        <dt>Smart account</dt>
        <dd>
          <code data-testid={`${testId}-address`}>{answer.smartAccount}</code>
        </dd>
        <dt>Owner (Para wallet)</dt>
        <dd>
          <code data-testid={`${testId}-owner`}>{answer.owner}</code>
        </dd>
        <dt>User operation</dt>
        <dd>
          <code title={answer.userOperationHash}>{shorten(answer.userOperationHash)}</code>
        </dd>
        <dt>Transaction</dt>
        <dd>
          <code title={answer.transactionHash}>{shorten(answer.transactionHash)}</code>
        </dd>
      </dl>
      <details>
        <summary>Full answer</summary>
        <pre>{JSON.stringify(answer, null, 2)}</pre>
      </details>
    </output>
  );
}
