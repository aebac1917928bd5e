import "server-only";
import { timingSafeEqual } from "node:crypto";
import { UnsealError } from "../crypto/envelope";
import { AppError } from "../errors";
import { logError } from "../log";
import { getConfig } from "../config";
import { readExportedSession, withSessionCookie } from "../para/exported-session";
import { extendHeldSession } from "../para/one-call-recheck";
import { sessionEnd } from "./lifecycle";
import {
  deleteExpiredSessions,
  deleteServerSessionWithSiblings,
  listSessionsEndingBefore,
  loadServerSession,
  recordKeepAliveOutcome,
  refreshImportedSession,
} from "./store";

/**
 * What one run of the keep-alive job did with the rows it looked at (`checked`): Para moved their
 * end later (`extended`), accepted the keep-alive but the end did not move (`unchanged`: nothing to
 * extend yet, or Para ignored it), said they have ended (`ended`, removed), or could not be asked or
 * refused to extend a live session (`failed`, kept for the next run).
 */
export interface KeepAliveRun {
  checked: number;
  extended: number;
  unchanged: number;
  ended: number;
  failed: number;
  /** Rows already past their end, removed before the run. */
  swept: number;
}

/**
 * Authorizes a run: `Authorization: Bearer <CRON_SECRET>`, as Vercel Cron sends it. Without a
 * configured secret the job refuses to run at all (a deployment must set CRON_SECRET; locally one
 * is made in the data folder).
 */
export function authorizeKeepAliveRun(authorization: string | null): void {
  const secret = getConfig().keepAlive.cronSecret;
  if (!secret) throw new AppError("not_configured", "Set CRON_SECRET to run the keep-alive job (Vercel Cron sends it as a bearer token).");
  const expected = Buffer.from(`Bearer ${secret}`);
  const given = Buffer.from(authorization ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError("unauthorized", "The keep-alive job needs Authorization: Bearer <CRON_SECRET>.");
  }
}

/**
 * The server acting for users who are not there: every stored import-path session that ends within
 * the configured window is kept alive at Para — through the one-call client
 * (lib/para/one-call-recheck.ts: 3 calls a session where a ParaServer would make 7), a bounded number at
 * a time and per run — and its row moves to Para's new end. Sessions Para says have ended (asked
 * twice) are removed; any other failure (Para busy, a refused keep-alive of a live session) leaves
 * the row for the next run. Each row records its last outcome. Expired rows are swept first.
 */
export async function runKeepAliveJob(now = new Date()): Promise<KeepAliveRun> {
  const { withinMs, maxSessions, concurrency } = getConfig().keepAlive;
  const run: KeepAliveRun = { checked: 0, extended: 0, unchanged: 0, ended: 0, failed: 0, swept: await deleteExpiredSessions(now) };
  const ids = await listSessionsEndingBefore(new Date(now.getTime() + withinMs), maxSessions);
  // Stop taking new rows well before the function's time runs out (maxDuration): the rest wait for the next run.
  const deadline = Date.now() + RUN_BUDGET_MS;
  await forEachBounded(ids, concurrency, async (id) => {
    if (Date.now() > deadline) return;
    run.checked++;
    const outcome = await keepOneAlive(id);
    run[outcome === "ended" || outcome === "extended" || outcome === "unchanged" ? outcome : "failed"]++;
  });
  return run;
}

async function keepOneAlive(id: string): Promise<string> {
  let outcome: string;
  try {
    const stored = await loadServerSession(id);
    if (stored?.path !== "import") return "ended";
    const kept = await extendHeldSession(readExportedSession(stored.serialized).sessionCookie, stored.userId);
    const expiresAt = sessionEnd(kept.expiresAt);
    await refreshImportedSession(stored, withSessionCookie(stored.serialized, kept.sessionCookie), new Date(), expiresAt);
    outcome = expiresAt.getTime() > stored.expiresAt.getTime() ? "extended" : "unchanged";
  } catch (error) {
    // A row that does not open here is kept (a wrong key on this instance is as likely as tampering).
    const code = error instanceof AppError ? error.code : error instanceof UnsealError ? "unreadable" : "internal_error";
    if (code === "session_expired" || code === "session_invalid") {
      const removed = await deleteServerSessionWithSiblings(id).then(
        () => true,
        (failure: unknown) => (logError("keep-alive-job", failure), false),
      );
      if (removed) return "ended";
    }
    // Para busy or refusing a live session: the row stays for the next run. The cause is logged, never a secret.
    logError(`keep-alive-job`, error);
    outcome = code;
  }
  await recordKeepAliveOutcome(id, outcome, new Date()).catch((error: unknown) => logError("keep-alive-job", error));
  return outcome;
}

/** How long a run may take new rows (the route's `maxDuration` is 300 s; a row can take 3 calls of up to PARA_TIMEOUT_MS). */
const RUN_BUDGET_MS = 180_000;

/** Runs `work` on each item, at most `limit` at a time. */
async function forEachBounded<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
