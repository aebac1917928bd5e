import "server-only";
import { and, eq, lt } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDb } from "../db/client";
import { idempotentRequests } from "../db/schema";
import { AppError, toAppError } from "../errors";
import { logError } from "../log";

/** How long a key's first answer is kept and replayed. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What the `Idempotency-Key` header may hold: 1–255 visible ASCII characters (a UUID, say). */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs an action that cannot be undone (a signature, a broadcast transaction) at most once per
 * `Idempotency-Key` and user (`scope`): a repeat within a day answers the first answer again (with
 * `Idempotent-Replayed: true`) and runs nothing; a repeat while the first is still running is 409.
 * Without the header, or without a user to scope it to, the action just runs.
 *
 * A refusal before anything happened (a 4xx: not signed in, over a limit, bad input) gives the key
 * back, so the client can fix the cause and retry with it. Any other outcome is final for the key,
 * a 5xx included: the action may have happened. When the answer cannot be recorded (the database
 * went away after the action), it is still answered, and the key stays taken: a retry gets 409,
 * never a second signature.
 */
export async function runOnce(request: Request, scope: string | undefined, action: () => Promise<unknown>): Promise<Response> {
  const key = request.headers.get("idempotency-key");
  if (key === null || scope === undefined) return NextResponse.json(await action());
  if (!KEY.test(key)) throw new AppError("bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.");
  const route = new URL(request.url).pathname;

  const previous = await claim(scope, key, route);
  if (previous) return replay(previous, route);

  const status = 200;
  let body: unknown;
  try {
    body = await action();
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.status >= 400 && error.status < 500) await release(scope, key);
    else await record(scope, key, error.status, error.toBody());
    throw thrown;
  }
  await record(scope, key, status, body);
  return NextResponse.json(body, { status });
}

type Claimed = typeof idempotentRequests.$inferSelect;

/** Takes the key for this request; answers the row of an earlier request that took it first. */
async function claim(scope: string, key: string, route: string, attempt = 1): Promise<Claimed | undefined> {
  const db = await getDb();
  await db.delete(idempotentRequests).where(lt(idempotentRequests.createdAt, new Date(Date.now() - IDEMPOTENCY_WINDOW_MS)));
  const taken = await db
    .insert(idempotentRequests)
    .values({ scope, key, route })
    .onConflictDoNothing()
    .returning({ key: idempotentRequests.key });
  if (taken.length) return undefined;
  const [row] = await db
    .select()
    .from(idempotentRequests)
    .where(and(eq(idempotentRequests.scope, scope), eq(idempotentRequests.key, key)));
  // Gone between the two statements (released by a refused first request): take it for this one.
  if (row || attempt >= 3) return row ?? undefined;
  return claim(scope, key, route, attempt + 1);
}

function replay(previous: Claimed, route: string): Response {
  if (previous.route !== route) {
    throw new AppError("conflict", "This Idempotency-Key was used for another request. Use a new key for each action.");
  }
  if (previous.status === null) {
    throw new AppError(
      "conflict",
      "A request with this Idempotency-Key is still running, or its answer was lost. Use a new key to act again.",
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
