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
