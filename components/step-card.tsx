"use client";

import type { ReactNode } from "react";
import type { ApiResult, ParaCall } from "./api-client";

interface StepCardProps {
  number: number;
  title: string;
  description: ReactNode;
  action: string;
  onRun: () => void;
  pending: boolean;
  disabled?: boolean;
  result?: ApiResult;
  /** Extra controls shown above the button (the export switch, say). */
  children?: ReactNode;
  testId: string;
}

/** One step of the session flow: what it does, a button, and what the server answered. */
export function StepCard({ number, title, description, action, onRun, pending, disabled, result, children, testId }: StepCardProps) {
  const headingId = `${testId}-title`;
  return (
    <section className="step" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>
        <span className="step-number" aria-hidden="true">
          {number}
        </span>
        {title}
      </h3>
      <p className="muted">{description}</p>
      {children}
      <button type="button" className="button" onClick={onRun} disabled={pending || disabled} aria-busy={pending}>
        {pending ? "Working…" : action}
      </button>
      {/* Announced: the outcome only (this region is always there, so changes are heard); the JSON is there to read, not to be read aloud. */}
      <p className="visually-hidden" role="status">
        {pending ? `${title}: working` : result ? `${title}: ${result.ok ? "done" : "failed"}, HTTP ${result.status || "none"}` : ""}
      </p>
      <div className="result" data-testid={`${testId}-result`} data-status={result?.status} data-code={result?.errorCode}>
        {result ? <ResultView result={result} /> : null}
      </div>
    </section>
  );
}

function ResultView({ result }: { result: ApiResult }) {
  return (
    <>
      <p className={result.ok ? "badge ok" : "badge error"}>
        {result.ok ? "OK" : "Failed"} · HTTP {result.status || "—"} · {Math.round(result.ms)} ms
      </p>
      {result.errorMessage ? <p role={result.ok ? undefined : "alert"}>{result.errorMessage}</p> : null}
      {result.paraCalls ? <ParaCalls calls={result.paraCalls} /> : null}
      {result.body !== null ? (
        <details open={result.ok}>
          <summary>What the server answered</summary>
          <pre>{JSON.stringify(result.body, null, 2)}</pre>
        </details>
      ) : null}
    </>
  );
}

/** What the step cost at Para: each call the server made for it. */
function ParaCalls({ calls }: { calls: ParaCall[] }) {
  return (
    <div className="para-calls" data-testid="para-calls" data-count={calls.length}>
      <p className="muted">
        {calls.length === 0
          ? "The server made no call to Para for this."
          : `The server made ${calls.length} call${calls.length > 1 ? "s" : ""} to Para:`}
      </p>
      {calls.length ? (
        <ol>
          {calls.map((call, index) => (
            <li key={index}>
              <code>
                {call.method} {call.path}
              </code>{" "}
              {call.status ?? "no answer"} · {call.ms} ms
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
