"use client";

import { useState } from "react";
import { type ApiResult, callApi } from "./api-client";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const CHOICES = [
  { label: "1 hour", ms: HOUR },
  { label: "1 day", ms: DAY },
  { label: "7 days", ms: 7 * DAY },
  // The server refuses more than 30 days: a few minutes less, for a browser clock that runs ahead.
  { label: "30 days", ms: 30 * DAY - 5 * 60_000 },
] as const;

/** The grant (docs/grants.md): its end, a choice of length, and a way to end it. */
export function GrantCard({ grantUntil, onChange }: { grantUntil?: string; onChange: (until: string | undefined) => void }) {
  const [choice, setChoice] = useState<number>(HOUR);
  // The end the button names, as of the last choice (sending reads the clock again).
  const [shownUntil, setShownUntil] = useState(() => new Date(Date.now() + HOUR));
  const [result, setResult] = useState<ApiResult | null>(null);
  const [pending, setPending] = useState(false);

  async function send(method: "PUT" | "DELETE") {
    setPending(true);
    const answer = await callApi(
      method,
      "/api/session/grant",
      method === "PUT" ? { until: new Date(Date.now() + choice).toISOString() } : undefined,
    );
    setResult(answer);
    if (answer.ok) onChange((answer.body as { grant: { until: string } | null }).grant?.until);
    setPending(false);
  }

  return (
    <section className="step" aria-labelledby="grant-title" data-testid="grant">
      <h3 id="grant-title">Let this app act for you while you are away</h3>
      <p className="muted">
        Without this, the server keeps your session alive only when you ask (step 3), and it ends on Para&apos;s clock. With it, the server
        keeps it alive until the time you choose, and can sign what you scheduled (<code>PUT /api/session/grant</code>). Ending it, or
        logging out, stops both.
      </p>
      {grantUntil ? (
        <p className="badge ok" data-testid="grant-until">
          This app may act for you until {new Date(grantUntil).toLocaleString()}.
        </p>
      ) : null}
      <label>
        For{" "}
        <select
          value={choice}
          onChange={(event) => {
            setChoice(Number(event.target.value));
            setShownUntil(new Date(Date.now() + Number(event.target.value)));
          }}
          data-testid="grant-length"
        >
          {CHOICES.map(({ label, ms }) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="button" className="button" onClick={() => void send("PUT")} disabled={pending} aria-busy={pending}>
        Let this app act for you until {shownUntil.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
      </button>{" "}
      {grantUntil ? (
        <button type="button" className="button secondary" onClick={() => void send("DELETE")} disabled={pending} data-testid="grant-end">
          End it now
        </button>
      ) : null}
      {result && !result.ok ? (
        <p className="badge error" role="alert" data-testid="grant-error" data-code={result.errorCode}>
          {result.errorMessage}
        </p>
      ) : null}
    </section>
  );
}
