// Keep-alive as teams saw Para's answer it (KeeperHub's PRs 738, 780, 781; para-local/README.md, "Test controls"):
// each mode of /test/keep-alive/mode, and the limit of /test/keep-alive/limit, through the real
// server SDK and through raw calls where the SDK hides the answer (it reads only the status).
import { afterEach, describe, expect, it } from "vitest";
import {
  advanceClock,
  api,
  cookieExpires,
  importedParaServer,
  type KeepAliveMode,
  limitKeepAlive,
  type MintedSession,
  mintSession,
  quietSdkLogs,
  resetParaLocal,
  setKeepAliveMode,
  setSessionLength,
} from "../testing/index.js";

quietSdkLogs();

// Mode, limit, clock and length are para-local-wide: put them back for the next test and file.
afterEach(() => resetParaLocal());

const LENGTH_MS = 60_000;

const keepAlive = (minted: MintedSession) => api("POST", `/users/${minted.userId}/session/keep-alive`, { cookie: minted.sessionCookie });
/** How long a cookie says is left, as the browser SDK reads it (its `Expires` against the wall clock). */
const remainingMs = (cookie: string) => cookieExpires(cookie) - Date.now();
const sessionCookieOf = async (para: Awaited<ReturnType<typeof importedParaServer>>) =>
  (JSON.parse(Buffer.from(await para.exportSession(), "base64").toString()) as { sessionCookie: string }).sessionCookie;

/**
 * For each mode, 40 s into a 60 s session: what the keep-alive answer's x-capsule-sid says is
 * left (null: no header), and whether the session is still alive 80 s in (40 s past the call).
 */
const MODES: { mode: KeepAliveMode; header: "renewed" | "none" | "old"; aliveAfter: boolean }[] = [
  { mode: "renew", header: "renewed", aliveAfter: true },
  { mode: "silent", header: "none", aliveAfter: true },
  { mode: "stale", header: "old", aliveAfter: true },
  { mode: "ignore", header: "old", aliveAfter: false },
];

describe("keep-alive modes (/test/keep-alive/mode)", () => {
  it.each(MODES)("$mode: the answer's x-capsule-sid is $header", async ({ mode, header }) => {
    await setSessionLength(LENGTH_MS);
    await setKeepAliveMode(mode);
    const minted = await mintSession();
    await advanceClock(40_000);
    const answer = await keepAlive(minted);
    expect(answer.status).toBe(200);
    if (header === "none") {
      expect(answer.sessionHeader).toBeNull();
      return;
    }
    // The same session, whatever its Expires.
    expect(answer.sessionHeader!.split(";")[0]).toBe(minted.sessionCookie.split(";")[0]);
    const left = remainingMs(answer.sessionHeader!);
    // `Expires` has whole seconds: allow one either way.
    if (header === "renewed") expect(left).toBeGreaterThan(LENGTH_MS - 2000);
    else expect(Math.abs(left - (LENGTH_MS - 40_000))).toBeLessThan(2000);
  });

  it.each(MODES)(
    "$mode: the SDK's keepSessionAlive() is true; alive 40 s past the original end: $aliveAfter",
    async ({ mode, header, aliveAfter }) => {
      await setSessionLength(LENGTH_MS);
      await setKeepAliveMode(mode);
      const minted = await mintSession();
      const para = await importedParaServer(minted);
      await advanceClock(40_000);
      expect(await para.keepSessionAlive()).toBe(true);
      // What the SDK now holds, and a re-export would carry.
      const held = await sessionCookieOf(para);
      if (header === "none") expect(held).toBe(minted.sessionCookie);
      else if (header === "renewed") expect(remainingMs(held)).toBeGreaterThan(LENGTH_MS - 2000);
      else expect(remainingMs(held)).toBeLessThan(LENGTH_MS - 40_000 + 2000);

      await advanceClock(40_000); // 80 s after sign-in, 40 s after the keep-alive
      expect(await (await importedParaServer(minted)).isSessionActive()).toBe(aliveAfter);
    },
  );

  it("renew is the default, and /test/reset goes back to it", async () => {
    await setKeepAliveMode("silent");
    await resetParaLocal();
    const minted = await mintSession();
    expect((await keepAlive(minted)).sessionHeader).not.toBeNull();
  });

  it("refuses an unknown mode with 400", async () => {
    await expect(setKeepAliveMode("sometimes" as KeepAliveMode)).rejects.toThrow(/answered 400: mode/);
  });
});

describe("keep-alive limit (/test/keep-alive/limit)", () => {
  it("only the first `allow` calls of a window succeed, across sessions: the SDK says false for the rest, whose sessions live on", async () => {
    const sessions = [await mintSession(), await mintSession(), await mintSession()];
    await limitKeepAlive({ allow: 1, windowMs: 10 * 60_000 });
    // The window starts at the next call, not when the limit is set.
    await advanceClock(9 * 60_000);
    const results = [];
    for (const minted of sessions) results.push(await (await importedParaServer(minted)).keepSessionAlive());
    expect(results).toEqual([true, false, false]);

    // What the SDK turned into false: 429, plain text.
    expect(await keepAlive(sessions[1]!)).toMatchObject({ status: 429, text: "too many requests", sessionHeader: null });
    // Refused, not ended: the session is still live.
    expect(await (await importedParaServer(sessions[1]!)).isSessionActive()).toBe(true);

    // 11 min after the limit was set but 2 min into the window: still refused.
    await advanceClock(2 * 60_000);
    expect((await keepAlive(sessions[2]!)).status).toBe(429);
    // A new window opens once this one has passed (on para-local's clock).
    await advanceClock(8 * 60_000);
    expect(await (await importedParaServer(sessions[2]!)).keepSessionAlive()).toBe(true);
    expect((await keepAlive(sessions[0]!)).status).toBe(429);
  });

  it("a refused keep-alive does not extend the session", async () => {
    await setSessionLength(LENGTH_MS);
    const minted = await mintSession();
    await limitKeepAlive({ allow: 0, windowMs: 60 * 60_000 });
    await advanceClock(40_000);
    expect(await (await importedParaServer(minted)).keepSessionAlive()).toBe(false);
    await advanceClock(21_000);
    expect(await (await importedParaServer(minted)).isSessionActive()).toBe(false);
  });

  it.each([401, 403, 500, 503] as const)("answers %d when asked to", async (status) => {
    const minted = await mintSession();
    await limitKeepAlive({ allow: 1, windowMs: 60_000, status });
    expect((await keepAlive(minted)).status).toBe(200);
    expect((await keepAlive(minted)).status).toBe(status);
  });

  it("/test/reset lifts the limit; a status it does not offer is a 400", async () => {
    const minted = await mintSession();
    await limitKeepAlive({ allow: 0, windowMs: 60_000 });
    expect((await keepAlive(minted)).status).toBe(429);
    await resetParaLocal();
    const again = await mintSession();
    expect((await keepAlive(again)).status).toBe(200);
    await expect(limitKeepAlive({ allow: 1, windowMs: 60_000, status: 404 as 429 })).rejects.toThrow(/answered 400/);
    await expect(limitKeepAlive({ allow: -1, windowMs: 60_000 })).rejects.toThrow(/answered 400/);
  });
});
