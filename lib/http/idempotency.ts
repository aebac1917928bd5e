import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDb } from "../db/client";
import { idempotentRequests } from "../db/schema";
import { asDatabaseUnavailable } from "../db/unavailable";
import { AppError, toAppError } from "../errors";
import { logError } from "../log";

/** How long a key's first answer is kept and replayed. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What the `Idempotency-Key` header may hold: 1–255 visible ASCII characters (a UUID, say). */
const KEY = /^[\x21-\x7e]{1,255}$/;

const pointOfNoReturn = new AsyncLocalStorage<{ passed: boolean }>();

/**
 * Says that the action `runOnce` runs is about to do what cannot be undone (the signer is asked
 * to sign): a failure from here on is final for its Idempotency-Key. Before it, nothing happened.
 */
export function passPointOfNoReturn(): void {
  const state = pointOfNoReturn.getStore();
  if (state) state.passed = true;
}

/**
 * Runs an action that cannot be undone (a signature, a broadcast transaction) at most once per
 * `Idempotency-Key` and user (`scope`): a repeat within a day answers the first answer again (with
 * `Idempotent-Replayed: true`) and runs nothing; the same key for another route or another body
 * (`fingerprint`), or while the first request still runs, is 409. Without the header, or without a
 * user to scope it to, the action just runs.
 *
 * A failure before the action passed its point of no return (`passPointOfNoReturn`: not signed in,
 * over a limit, Para busy before signing) gives the key back, so the client can retry with it. A
 * failure after it is final for the key: the signature may exist. When the answer cannot be
 * recorded (the database went away after the broadcast), it is still answered, and the key stays
 * taken: a retry gets 409, never a second signature.
 */
export async function runOnce(
  request: Request,
  scope: string | undefined,
  action: () => Promise<unknown>,
  { fingerprint, status = 200 }: { fingerprint?: unknown; status?: number } = {},
): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  if (key === null || scope === undefined) return NextResponse.json(await action(), { status });
  if (!KEY.test(key)) throw new AppError("bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.");
  const what = describeRequest(request, fingerprint);

  const previous = await claim(scope, key, what);
  if (previous) return replay(previous, what);

  const state = { passed: false };
  let body: unknown;
  try {
    body = await pointOfNoReturn.run(state, action);
  } catch (thrown) {
    if (!state.passed) await release(scope, key);
    else {
      const error = toAppError(asDatabaseUnavailable(thrown));
      await record(scope, key, error.status, error.toBody());
    }
    throw thrown;
  }
  await record(scope, key, status, body);
  return NextResponse.json(body, { status });
}

/** The route and, when given, a digest of what the request asked for (the same key with another body is refused). */
function describeRequest(request: Request, fingerprint: unknown): string {
  const route = new URL(request.url).pathname;
  if (fingerprint === undefined) return route;
  return `${route} ${createHash("sha256").update(JSON.stringify(fingerprint)).digest("base64url").slice(0, 22)}`;
}

type Claimed = typeof idempotentRequests.$inferSelect;

/** Takes the key for this request; answers the row of an earlier request that took it first. */
async function claim(scope: string, key: string, what: string, attempt = 1): Promise<Claimed | undefined> {
  const db = await getDb();
  await db.delete(idempotentRequests).where(lt(idempotentRequests.createdAt, new Date(Date.now() - IDEMPOTENCY_WINDOW_MS)));
  const taken = await db
    .insert(idempotentRequests)
    .values({ scope, key, route: what })
    .onConflictDoNothing()
    .returning({ key: idempotentRequests.key });
  if (taken.length) return undefined;
  const [row] = await db
    .select()
    .from(idempotentRequests)
    .where(and(eq(idempotentRequests.scope, scope), eq(idempotentRequests.key, key)));
  // Gone between the two statements (released by a refused first request): take it for this one.
  if (row || attempt >= 3) return row ?? undefined;
  return claim(scope, key, what, attempt + 1);
}

function replay(previous: Claimed, what: string): Response {
  if (previous.route !== what) {
    throw new AppError("conflict", "This Idempotency-Key was used for another request. Use a new key for each action.");
  }
  if (previous.status === null) {
    throw new AppError(
      "conflict",
      "A request with this Idempotency-Key is still running, or its answer was lost after it acted: its outcome is unknown. Check whether it happened (the chain, your list) before acting again with a new key.",
    );
  }
  return NextResponse.json(previous.body, { status: previous.status, headers: { "idempotent-replayed": "true" } });
}

/** The key's answer, kept for replays. Best effort: the action has happened, and its answer goes out either way. */
async function record(scope: string, key: string, status: number, body: unknown): Promise<void> {
  try {
    const db = await getDb();
    await db
      .update(idempotentRequests)
      .set({ status, body })
      .where(and(eq(idempotentRequests.scope, scope), eq(idempotentRequests.key, key)));
  } catch (error) {
    logError("idempotency", new Error(`the answer for an Idempotency-Key could not be recorded; the key stays taken`, { cause: error }));
  }
}

async function release(scope: string, key: string): Promise<void> {
  try {
    const db = await getDb();
    await db.delete(idempotentRequests).where(and(eq(idempotentRequests.scope, scope), eq(idempotentRequests.key, key)));
  } catch (error) {
    logError("idempotency", error);
  }
}
