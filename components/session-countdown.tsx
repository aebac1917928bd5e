"use client";

import { useSyncExternalStore } from "react";

/** A clock that ticks each second in the browser; on the server (and while hydrating) there is no "now". */
function subscribeToSeconds(tick: () => void): () => void {
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
const useNow = () =>
  useSyncExternalStore(
    subscribeToSeconds,
    () => Math.floor(Date.now() / 1000) * 1000,
    () => null,
  );

/**
 * "Session ends at … (in 29:41)": the end Para signed for the session, counting down each second.
 * Keep-alive moves it (the server answers the new end). Rendered on the server with the end alone,
 * so the page's HTML says it before any script runs.
 */
export function SessionCountdown({ endsAt }: { endsAt: string }) {
  const end = Date.parse(endsAt);
  const now = useNow();
  const left = now === null ? null : end - now;
  return (
    <span data-testid="session-ends" data-ends-at={endsAt}>
      {/* In UTC until the browser runs: its own time zone then, without a hydration mismatch. */}
      <time dateTime={endsAt}>{now === null ? `${endsAt.slice(0, 16).replace("T", " ")} UTC` : new Date(end).toLocaleString()}</time>
      {left === null ? null : left > 0 ? (
        <span data-testid="session-countdown"> (in {formatLeft(left)})</span>
      ) : (
        <span data-testid="session-countdown"> (ended)</span>
      )}
    </span>
  );
}

/** 29:41, 5:02:09, or 12 d 3 h for a session of days. */
function formatLeft(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  if (days > 0) return `${days} d ${hours} h`;
  const minutes = Math.floor((seconds % 3600) / 60);
  const pad = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds % 60)}` : `${minutes}:${pad(seconds % 60)}`;
}
