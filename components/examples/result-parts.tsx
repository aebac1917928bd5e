import type { ApiResult } from "../api-client";
import styles from "./examples.module.css";

/** A failed example run: the status and the server's message. */
export function FailedResult({ result, testId }: { result: ApiResult; testId: string }) {
  return (
    <output className={styles.result} data-testid={testId} data-status={result.status} data-code={result.errorCode}>
      <span className="badge error">Failed · HTTP {result.status || "—"}</span>
      <span role="alert">{result.errorMessage}</span>
    </output>
  );
}

/** A long hex or base64 value, cut to its ends (the whole value is in the `title`). */
export function shorten(value: string): string {
  return value.length > 24 ? `${value.slice(0, 12)}…${value.slice(-8)}` : value;
}

/** A long value under its label, cut to its ends. */
export function ShortFact({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code title={value}>{shorten(value)}</code>
      </dd>
    </>
  );
}

/** The server's whole answer, folded. */
export function FullAnswer({ answer }: { answer: unknown }) {
  return (
    <details>
      <summary>Full answer</summary>
      <pre>{JSON.stringify(answer, null, 2)}</pre>
    </details>
  );
}

/** A cell's run button: busy while its request runs; the pregen column waits for a pregenerated set. */
export function RunButton({
  running,
  noWallet,
  onRun,
  testId,
  label,
  busyLabel,
}: {
  running: boolean | undefined;
  noWallet: boolean;
  onRun: () => void;
  testId: string;
  label: string;
  busyLabel: string;
}) {
  return (
    <button
      type="button"
      className="button secondary"
      onClick={onRun}
      disabled={running || noWallet}
      aria-busy={running}
      title={noWallet ? "Create a pregenerated wallet first" : undefined}
      data-testid={testId}
    >
      {running ? busyLabel : label}
    </button>
  );
}
