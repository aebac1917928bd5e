import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { KeepAliveRun } from "../../lib/session/keep-alive-job";
import {
  advanceClock,
  delayRequests,
  expireUserSessions,
  limitKeepAlive,
  type MintedSession,
  mintSession,
  newParaServer,
  quietSdkLogs,
  resetParaLocal,
} from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import type { ErrorBody } from "./client";
import { ownAppForThisFile } from "./own-app";

// The server acting for users who are not there: GET /api/cron/keep-alive (Vercel Cron's call)
// extends the sessions it holds, so a 30-minute Para session outlives its length with no browser.
// An app of its own (PGlite), so the job sees only this file's sessions.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

const CRON_SECRET = `cron-${randomUUID()}`;
const CONCURRENCY = 2;
const MINUTE = 60_000;
const { Client: JobAppClient } = ownAppForThisFile(3107, () => ({ CRON_SECRET, KEEP_ALIVE_CONCURRENCY: String(CONCURRENCY) }));
type JobAppClient = InstanceType<typeof JobAppClient>;

const runJob = (authorization: string | null = `Bearer ${CRON_SECRET}`) =>
  new JobAppClient().request<KeepAliveRun & ErrorBody>(
    "GET",
    "/api/cron/keep-alive",
    authorization === null ? {} : { headers: { authorization } },
  );

async function signedIn(): Promise<{ user: MintedSession; client: JobAppClient }> {
  const user = await mintSession({ email: `job-${randomUUID().slice(0, 8)}@example.com` });
  const client = new JobAppClient();
  const response = await client.request("POST", "/api/session", { json: { session: user.session } });
  expect(response.status, response.text).toBe(200);
  return { user, client };
}

/** A clean start for a test: para-local forgets everyone, and a run clears out the rows of earlier tests (their sessions are gone). */
async function freshStart(): Promise<void> {
  await resetParaLocal();
  expect((await runJob()).body).toMatchObject({ extended: 0, failed: 0 });
}

/** Whether para-local still holds the session live, asked with the real server SDK. */
async function liveAtPara(user: MintedSession): Promise<boolean> {
  const para = newParaServer();
  await para.importSession(user.session);
  return para.isSessionActive();
}

describe("GET /api/cron/keep-alive", () => {
  it("401 without Authorization: Bearer <CRON_SECRET>, or with another secret", async () => {
    const missing = await runJob(null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("unauthorized");
    expect((await runJob(`Bearer ${CRON_SECRET}x`)).status).toBe(401);
    expect((await runJob(CRON_SECRET)).status).toBe(401);
  });

  it("keeps 30-minute sessions alive past 2 hours with no browser, while one it does not hold ends", async () => {
    await freshStart();
    const held = [await signedIn(), await signedIn(), await signedIn()];
    const notHeld = await mintSession({ email: `idle-${randomUUID().slice(0, 8)}@example.com` });
    for (let run = 0; run < 5; run++) {
      await advanceClock(25 * MINUTE); // 125 minutes in all: past 2 hours
      const answer = await runJob();
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ checked: 3, extended: 3, ended: 0, failed: 0 });
    }
    for (const { user, client } of held) {
      expect(await liveAtPara(user)).toBe(true);
      expect((await client.request("GET", "/api/session")).status).toBe(200);
    }
    expect(await liveAtPara(notHeld)).toBe(false);
  });

  it("removes a session Para has ended (asked twice), and says so; its cookie then names nothing", async () => {
    await freshStart();
    const kept = await signedIn();
    const ended = await signedIn();
    await expireUserSessions(ended.user.userId);
    await advanceClock(MINUTE); // time for a keep-alive to move the end
    expect((await runJob()).body).toMatchObject({ checked: 2, extended: 1, ended: 1, failed: 0 });
    // At once again: Para accepts, but there is nothing to move yet.
    expect((await runJob()).body).toMatchObject({ checked: 1, extended: 0, unchanged: 1, ended: 0, failed: 0 });
    const gone = await ended.client.request<ErrorBody>("GET", "/api/session");
    expect(gone.body.error.code).toBe("unauthorized");
    expect((await kept.client.request("GET", "/api/session")).status).toBe(200);
  });

  it("a keep-alive Para refuses for all but the first session in a run: failed, kept for the next run, not removed", async () => {
    await freshStart();
    const sessions = [await signedIn(), await signedIn(), await signedIn()];
    await limitKeepAlive({ allow: 1, windowMs: 10 * MINUTE });
    await advanceClock(MINUTE);
    expect((await runJob()).body).toMatchObject({ checked: 3, extended: 1, ended: 0, failed: 2 });
    await advanceClock(11 * MINUTE); // the next window
    await limitKeepAlive({ allow: 100, windowMs: 10 * MINUTE });
    expect((await runJob()).body).toMatchObject({ checked: 3, extended: 3, ended: 0, failed: 0 });
    for (const { client } of sessions) expect((await client.request("GET", "/api/session")).status).toBe(200);
  });

  it(`keeps at most ${CONCURRENCY} sessions in flight at Para at once`, async () => {
    await freshStart();
    for (let i = 0; i < 6; i++) await signedIn();
    await delayRequests({ method: "POST", path: "/users/:userId/session/keep-alive", ms: 200, count: 6 });
    await advanceClock(MINUTE);
    paraLocal.current!.store.peakInFlight = 0;
    expect((await runJob()).body).toMatchObject({ checked: 6, extended: 6 });
    expect(paraLocal.current!.store.peakInFlight).toBe(CONCURRENCY);
  });
});
