"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import type { ActionView } from "@/lib/actions/service";
import { type ApiResult, callApi } from "../api-client";
import styles from "./examples.module.css";

const LIBRARIES = ["viem", "ethers", "cosmjs", "solana"] as const;
const DELAYS = [
  { label: "in 15 seconds", ms: 15_000 },
  { label: "in 1 minute", ms: 60_000 },
  { label: "in 1 hour", ms: 3_600_000 },
] as const;
const LONGEST_DELAY_MS = Math.max(...DELAYS.map(({ ms }) => ms));

/**
 * Scheduled signing: the server signs at a time you pick, with your session, whether this page is
 * open or not. It needs a grant that lasts until then (`PUT /api/session/grant`); the list is yours
 * as a Para user, so it comes back after signing in again.
 */
export function ScheduledActions({ enabled }: { enabled: boolean }) {
  const queryClient = useQueryClient();
  const [library, setLibrary] = useState<(typeof LIBRARIES)[number]>("viem");
  const [kind, setKind] = useState<"message" | "transaction">("transaction");
  const [message, setMessage] = useState("Signed while I was away");
  const [delay, setDelay] = useState<number>(DELAYS[0].ms);
  const [answer, setAnswer] = useState<ApiResult | null>(null);
  const [busy, setBusy] = useState(false);

  const list = useQuery({
    queryKey: ["actions"],
    queryFn: () => callApi("GET", "/api/actions"),
    enabled,
    refetchInterval: (query) => (hasPending(query.state.data) ? 3_000 : false),
  });
  const actions = list.data?.ok ? (list.data.body as { actions: ActionView[] }).actions : [];

  async function act(run: () => Promise<ApiResult>) {
    setBusy(true);
    setAnswer(await run());
    await queryClient.invalidateQueries({ queryKey: ["actions"] });
    setBusy(false);
  }

  function schedule(event: FormEvent) {
    event.preventDefault();
    const at = new Date(Date.now() + delay).toISOString();
    void act(() => callApi("POST", "/api/actions", kind === "message" ? { at, library, kind, message } : { at, library, kind }));
  }

  // The server wants the grant to last a minute past `at`: a few more for the time the user takes.
  const grantAnHour = () =>
    act(() => callApi("PUT", "/api/session/grant", { until: new Date(Date.now() + LONGEST_DELAY_MS + 5 * 60_000).toISOString() }));

  return (
    <section className="step" aria-labelledby="scheduled-title" data-testid="scheduled">
      <h2 id="scheduled-title">5. Sign later, while you are away</h2>
      <p className="muted">
        <code>POST /api/actions</code> schedules one signature with your session (sent with signers, step 1). At that time the server asks
        Para whether the session is still live, records the attempt, and signs once; an EVM transaction goes to the local chain. It needs
        your consent until then: <code>PUT /api/session/grant</code>.
      </p>
      <form className={styles.form} onSubmit={schedule}>
        <select
          value={library}
          onChange={(event) => setLibrary(event.target.value as typeof library)}
          aria-label="Library"
          data-testid="schedule-library"
        >
          {LIBRARIES.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <select
          value={kind}
          onChange={(event) => setKind(event.target.value as typeof kind)}
          aria-label="What to sign"
          data-testid="schedule-kind"
        >
          <option value="transaction">the demo transaction</option>
          <option value="message">a message</option>
        </select>
        {kind === "message" ? (
          <input value={message} onChange={(event) => setMessage(event.target.value)} maxLength={280} aria-label="Message" />
        ) : null}
        <select value={delay} onChange={(event) => setDelay(Number(event.target.value))} aria-label="When" data-testid="schedule-delay">
          {DELAYS.map(({ label, ms }) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={busy || !enabled} data-testid="schedule">
          Schedule
        </button>
      </form>
      {answer && !answer.ok ? (
        <div className="badge error" role="alert" data-testid="schedule-error" data-code={answer.errorCode}>
          {answer.errorMessage}{" "}
          {answer.errorCode === "grant_required" ? (
            <button type="button" className="button secondary" onClick={() => void grantAnHour()} data-testid="grant-hour">
              Let this app act for you for the next hour
            </button>
          ) : null}
        </div>
      ) : null}
      {actions.length ? (
        <ol className={styles.actions} data-testid="actions">
          {actions.map((action) => (
            <li key={action.id} data-testid="action" data-status={action.status}>
              <strong>{action.status}</strong> · {action.library} {action.kind} at {new Date(action.at).toLocaleTimeString()}
              {action.result?.broadcast && "transactionId" in action.result.broadcast ? (
                <>
                  {" "}
                  · <code>{action.result.broadcast.transactionId}</code> ({action.result.broadcast.status})
                </>
              ) : null}
              {action.result?.signature ? (
                <>
                  {" "}
                  · signature <code>{action.result.signature.slice(0, 18)}…</code>
                </>
              ) : null}
              {action.error ? <> · {action.error.code}</> : null}
              {action.status === "scheduled" ? (
                <>
                  {" "}
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => void act(() => callApi("DELETE", `/api/actions/${action.id}`))}
                  >
                    Cancel
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function hasPending(data: ApiResult | undefined): boolean {
  return (
    !!data?.ok &&
    (data.body as { actions: ActionView[] }).actions.some((action) => action.status === "scheduled" || action.status === "running")
  );
}
