"use client";

import type { ApiResult } from "../api-client";
import type { SigningMode, SmartAccountAnswer, SmartAccountType } from "./types";
import styles from "./examples.module.css";
import { FailedResult, FullAnswer, RunButton, ShortFact } from "./result-parts";
import { useExampleRuns } from "./use-example-runs";

const MODES: { mode: SigningMode; label: string }[] = [
  { mode: "session", label: "Your session's wallet" },
  { mode: "pregen", label: "The pregenerated wallet" },
];
const TYPES: { type: SmartAccountType; label: string }[] = [
  { type: "erc4337", label: "ERC-4337 SimpleAccount, owned by" },
  { type: "eip7702", label: "EIP-7702: the wallet itself, delegated —" },
];

type CellId = `${SmartAccountType}-${SigningMode}`;

/** The ERC-4337 recipe: a smart account owned by the Para EVM wallet sends a user operation through the bundler. */
export function SmartAccount({ pregenSetId }: { pregenSetId: string | null }) {
  const { results, running, run: runCell } = useExampleRuns<CellId>(pregenSetId);
  const run = (type: SmartAccountType, mode: SigningMode) =>
    runCell(`${type}-${mode}`, mode, `/api/examples/smart-account/${mode}${type === "eip7702" ? "?type=eip7702" : ""}`);

  return (
    <section className="stack-tight" aria-labelledby="smart-account-title">
      <h2 id="smart-account-title">4. Smart account (ERC-4337)</h2>
      <p className="muted">
        <code>POST /api/examples/smart-account/session</code> or <code>…/pregen {"{setId}"}</code>: a SimpleAccount (EntryPoint v0.7,
        through <code>permissionless</code>) whose owner is the Para EVM wallet, deployed on first use, sends 1 gwei to its owner through
        the bundler. Locally that is <code>npm run chain</code>&apos;s chain and Alto bundler.
      </p>
      <div className={styles.grid}>
        {TYPES.flatMap(({ type, label: typeLabel }) =>
          MODES.map(({ mode, label }) => {
            const cell: CellId = `${type}-${mode}`;
            // The ERC-4337 cells keep the short test ids the Playwright spec uses.
            const testId = type === "erc4337" ? `smart-account-${mode}` : `smart-account-${cell}`;
            const noWallet = mode === "pregen" && !pregenSetId;
            return (
              <div className={styles.cell} key={cell} data-testid={testId}>
                <strong>
                  {typeLabel} {label.toLowerCase()}
                </strong>
                <RunButton
                  running={running[cell]}
                  noWallet={noWallet}
                  onRun={() => void run(type, mode)}
                  testId={`run-${testId}`}
                  label="Send a user operation"
                  busyLabel="Sending…"
                />
                <SmartAccountResult result={results[cell]} testId={`result-${testId}`} />
              </div>
            );
          }),
        )}
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
        {answer.deployedNow ? (answer.type === "eip7702" ? " · wallet delegated" : " · account deployed") : ""}
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
        <ShortFact label="User operation" value={answer.userOperationHash} />
        <ShortFact label="Transaction" value={answer.transactionHash} />
      </dl>
      <FullAnswer answer={answer} />
    </output>
  );
}
