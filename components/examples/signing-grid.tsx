"use client";

import { RunButton } from "./result-parts";
import { SigningResultView } from "./signing-result";
import { useExampleRuns } from "./use-example-runs";
import type { SigningMode } from "./types";
import styles from "./examples.module.css";

const LIBRARIES = [
  { library: "viem", label: "viem", integration: "@getpara/viem-v2-integration" },
  { library: "ethers", label: "ethers v6", integration: "@getpara/ethers-v6-integration" },
  { library: "cosmjs", label: "CosmJS", integration: "@getpara/cosmjs-v0-integration" },
  { library: "solana", label: "Solana web3.js", integration: "@getpara/solana-web3.js-v1-integration" },
] as const;
const MODES: { mode: SigningMode; label: string }[] = [
  { mode: "session", label: "Your session" },
  { mode: "pregen", label: "Pregenerated wallet" },
];

type CellId = `${string}-${SigningMode}`;

/** Library × mode, a run button each; each cell shows what the server answered. */
export function SigningGrid({ pregenSetId }: { pregenSetId: string | null }) {
  const { results, running, run: runCell } = useExampleRuns<CellId>(pregenSetId);
  const run = (library: string, mode: SigningMode) => runCell(`${library}-${mode}`, mode, `/api/examples/${library}/${mode}`);

  return (
    <section className="stack-tight" aria-labelledby="grid-title">
      <h2 id="grid-title">3. Sign</h2>
      <p className="muted">
        <code>POST /api/examples/[library]/session</code> or <code>…/pregen {"{setId}"}</code>. Nothing is broadcast unless the server has
        an RPC URL for the network.
      </p>
      <div className={styles.grid} role="table" aria-label="Signing examples">
        <div role="row" className={styles.header}>
          <span role="columnheader">Library</span>
          {MODES.map(({ mode, label }) => (
            <span role="columnheader" key={mode}>
              {label}
            </span>
          ))}
        </div>
        {LIBRARIES.map(({ library, label, integration }) => (
          <div role="row" className={styles.row} key={library}>
            <span role="rowheader" className={styles.library}>
              <strong>{label}</strong>
              <code className={styles.integration}>{integration}</code>
            </span>
            {MODES.map(({ mode }) => {
              const cell: CellId = `${library}-${mode}`;
              const noWallet = mode === "pregen" && !pregenSetId;
              return (
                <div role="cell" className={styles.cell} key={mode} data-testid={`cell-${cell}`}>
                  <RunButton
                    running={running[cell]}
                    noWallet={noWallet}
                    onRun={() => void run(library, mode)}
                    testId={`run-${cell}`}
                    label="Run"
                    busyLabel="Signing…"
                  />
                  <SigningResultView result={results[cell]} testId={`result-${cell}`} />
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}
