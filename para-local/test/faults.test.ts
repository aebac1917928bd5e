// Para answering wrong on purpose: injected faults (/test/faults) and the false "not signed in"
// that hands over a new anonymous cookie (/test/sessions/false-negative with newCookie).
import { afterEach, describe, expect, it } from "vitest";
import {
  advanceClock,
  answerFalseNegatives,
  api,
  delayRequests,
  importedParaServer,
  INVALID_API_KEY_FAULT,
  injectFault,
  type MintedSession,
  mintSession,
  quietSdkLogs,
  resetParaLocal,
  setSessionLength,
} from "../testing/index.js";

quietSdkLogs();

// Faults, clock and length are para-local-wide: put them back for the next test and file.
afterEach(() => resetParaLocal());

const touch = (cookie?: string, apiKey?: string) => api("POST", "/touch?regenerate=false", { cookie, apiKey });
const keepAlive = (minted: MintedSession) => api("POST", `/users/${minted.userId}/session/keep-alive`, { cookie: minted.sessionCookie });
const cookieName = (cookie: string) => cookie.split(";")[0];
const heldCookie = async (para: Awaited<ReturnType<typeof importedParaServer>>) =>
  (JSON.parse(Buffer.from(await para.exportSession(), "base64").toString()) as { sessionCookie: string }).sessionCookie;

describe("injected faults (/test/faults)", () => {
  it("/touch answers 429 once, then normally; the SDK's isSessionActive() throws with Para's text", async () => {
    const minted = await mintSession();
    await injectFault({ method: "POST", path: "/touch", status: 429, message: "rate limited" });
    expect(await touch(minted.sessionCookie)).toMatchObject({ status: 429, text: "rate limited", sessionHeader: null });
    expect((await touch(minted.sessionCookie)).status).toBe(200);

    const para = await importedParaServer(minted);
    await injectFault({ method: "POST", path: "/touch", status: 429, message: "rate limited" });
    await expect(para.isSessionActive()).rejects.toThrow(/rate limited/);
    expect(await para.isSessionActive()).toBe(true);
  });

  it("/touch answers 500 `count` times with the default message", async () => {
    const minted = await mintSession();
    await injectFault({ method: "POST", path: "/touch", status: 500, count: 2 });
    expect(await touch(minted.sessionCookie)).toMatchObject({ status: 500, text: "injected fault" });
    expect(await touch(minted.sessionCookie)).toMatchObject({ status: 500, text: "injected fault" });
    expect((await touch(minted.sessionCookie)).status).toBe(200);
  });

  it("keep-alive (a :param route): the SDK says false, and the session is not extended, as the route was never reached", async () => {
    await setSessionLength(60_000);
    const minted = await mintSession();
    await injectFault({ method: "POST", path: "/users/:userId/session/keep-alive", status: 503 });
    await advanceClock(40_000);
    expect(await (await importedParaServer(minted)).keepSessionAlive()).toBe(false);
    await advanceClock(21_000);
    expect(await (await importedParaServer(minted)).isSessionActive()).toBe(false);
  });

  it("matches only its method and route", async () => {
    const minted = await mintSession();
    await injectFault({ method: "GET", path: "/touch", status: 500 });
    await injectFault({ method: "POST", path: "/users/:userId/wallets", status: 500 });
    expect((await touch(minted.sessionCookie)).status).toBe(200);
    expect((await keepAlive(minted)).status).toBe(200);
    expect((await api("GET", `/users/${minted.userId}/wallets`, { cookie: minted.sessionCookie })).status).toBe(200);
    expect((await api("POST", `/users/${minted.userId}/wallets`, { cookie: minted.sessionCookie, body: { type: "EVM" } })).status).toBe(
      500,
    );
  });

  it("the invalid-API-key preset answers exactly what the real key check does", async () => {
    const real = await touch(undefined, "not-a-key");
    expect(real).toMatchObject({ status: 403, text: "invalid API key" });
    await injectFault({ method: "POST", path: "/touch", ...INVALID_API_KEY_FAULT });
    const injected = await touch();
    expect({ status: injected.status, text: injected.text }).toEqual({ status: real.status, text: real.text });
  });

  it("comes after the API-key check (a bad key does not use it up) and after a delay", async () => {
    await injectFault({ method: "POST", path: "/touch", status: 502 });
    expect((await touch(undefined, "not-a-key")).status).toBe(403);
    await delayRequests({ method: "POST", path: "/touch", ms: 300 });
    const started = performance.now();
    expect((await touch()).status).toBe(502);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("/test/reset clears faults; bad fault bodies are a 400", async () => {
    await injectFault({ method: "POST", path: "/touch", status: 500, count: 5 });
    await resetParaLocal();
    expect((await touch()).status).toBe(200);
    for (const bad of [
      { method: "POST", path: "/touch", status: 200 },
      { method: "POST", path: "/touch", status: 600 },
      { method: "POST", path: "/touch", status: 500, count: 101 },
      { method: "POST", path: "/touch", status: 500, message: "" },
      { method: "OPTIONS", path: "/touch", status: 500 },
      { method: "POST", path: "/test/reset", status: 500 },
      { method: "POST", path: "touch", status: 500 },
    ]) {
      await expect(injectFault(bad), JSON.stringify(bad)).rejects.toThrow(/answered 400/);
    }
  });
});

describe("a false 'not signed in' with a new cookie (/test/sessions/false-negative, newCookie)", () => {
  it("answers for a brand-new anonymous session, under its cookie; the real session lives on", async () => {
    const minted = await mintSession();
    await answerFalseNegatives(minted.userId, 1, { newCookie: true });
    const answer = await touch(minted.sessionCookie);
    const body = JSON.parse(answer.text) as { isAuthenticated: boolean; userId?: string; sessionLookupId: string };
    expect(body.isAuthenticated).toBe(false);
    expect(body.userId).toBeUndefined();
    expect(answer.sessionHeader).not.toBeNull();
    expect(cookieName(answer.sessionHeader!)).not.toBe(cookieName(minted.sessionCookie));
    // The new cookie is a real, anonymous session...
    const fresh = JSON.parse((await touch(answer.sessionHeader!)).text) as { isAuthenticated: boolean; sessionLookupId: string };
    expect(fresh).toMatchObject({ isAuthenticated: false, sessionLookupId: body.sessionLookupId });
    // ... and the user's session is still signed in.
    expect(JSON.parse((await touch(minted.sessionCookie)).text)).toMatchObject({ isAuthenticated: true, userId: minted.userId });
  });

  it("the SDK takes the new cookie: that instance stays signed out, a fresh import of the old one is signed in", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    await answerFalseNegatives(minted.userId, 1, { newCookie: true });
    expect(await para.isSessionActive()).toBe(false);
    expect(cookieName(await heldCookie(para))).not.toBe(cookieName(minted.sessionCookie));
    expect(await para.isSessionActive()).toBe(false);
    expect(await (await importedParaServer(minted)).isSessionActive()).toBe(true);
  });

  it("without newCookie the false answer keeps the session's own cookie (as before)", async () => {
    const minted = await mintSession();
    await answerFalseNegatives(minted.userId);
    const answer = await touch(minted.sessionCookie);
    expect(JSON.parse(answer.text)).toMatchObject({ isAuthenticated: false });
    expect(cookieName(answer.sessionHeader!)).toBe(cookieName(minted.sessionCookie));
  });
});
