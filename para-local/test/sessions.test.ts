import { Para as ParaServer } from "@getpara/server-sdk";
import { afterAll, describe, expect, it } from "vitest";
import {
  advanceClock,
  answerFalseNegatives,
  expireUserSessions,
  importedParaServer,
  mintSession,
  newParaServer,
  quietSdkLogs,
  resetParaLocal,
  SECRET_KEY,
  API_KEY,
  setSessionLength,
  verifyToken,
} from "../testing/index.js";

quietSdkLogs();

// The clock and session length are para-local-wide: put them back for the next file.
afterAll(() => resetParaLocal());

describe("server SDK sessions against para-local", () => {
  it("constructs a DEV instance with para-local's key, anonymous until a session is imported", async () => {
    const para = newParaServer();
    expect(para).toBeInstanceOf(ParaServer);
    expect(await para.isSessionActive()).toBe(false);
  });

  it("imports a minted session and exports the very same string", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    expect(para.userId).toBe(minted.userId);
    expect(Object.keys(para.wallets).sort()).toEqual(minted.wallets.map((w) => w.id).sort());
    expect(await para.isSessionActive()).toBe(true);
    expect(para.exportSession()).toBe(minted.session);
  });

  it("mints phone users too", async () => {
    const minted = await mintSession({ phone: "+15555550123" });
    const para = await importedParaServer(minted);
    expect(await para.isSessionActive()).toBe(true);
    expect(JSON.parse(Buffer.from(minted.session, "base64").toString()).authInfo).toEqual({
      auth: { phone: "+15555550123" },
      authType: "phone",
      identifier: "+15555550123",
    });
  });

  it("isSessionActive: true, then false once the session expires", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    expect(await para.isSessionActive()).toBe(true);
    await expireUserSessions(minted.userId);
    expect(await para.isSessionActive()).toBe(false);
  });

  it("keepSessionAlive: true while active, false after expiry", async () => {
    const minted = await mintSession();
    expect(await (await importedParaServer(minted)).keepSessionAlive()).toBe(true);
    await expireUserSessions(minted.userId);
    // A fresh instance, as each request makes one: the expired one already swapped in an anonymous cookie.
    expect(await (await importedParaServer(minted)).keepSessionAlive()).toBe(false);
  });

  it("keepSessionAlive extends the session past its original end", async () => {
    await setSessionLength(60_000);
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    await advanceClock(40_000);
    expect(await para.keepSessionAlive()).toBe(true);
    await advanceClock(40_000); // 80 s after sign-in: past the original 60 s
    expect(await para.isSessionActive()).toBe(true);
    await advanceClock(61_000); // 61 s after the keep-alive
    expect(await para.isSessionActive()).toBe(false);
  });
});

describe("verification tokens and /sessions/verify", () => {
  it.each([
    ["x-partner-id", { "x-partner-id": API_KEY }],
    ["x-external-api-key (secret key)", { "x-external-api-key": SECRET_KEY }],
  ])("getVerificationToken verifies with %s: 200 {authType, identifier}", async (_name, headers) => {
    const minted = await mintSession();
    const token = await (await importedParaServer(minted)).getVerificationToken();
    const answer = await verifyToken({ verificationToken: token }, headers);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ authType: "email", identifier: minted.identifier });
  });

  it("answers 403 once the session expired", async () => {
    const minted = await mintSession();
    const token = await (await importedParaServer(minted)).getVerificationToken();
    await expireUserSessions(minted.userId);
    expect((await verifyToken({ verificationToken: token })).status).toBe(403);
  });

  it("answers 400 without a token, 401 without a partner key", async () => {
    expect((await verifyToken({})).status).toBe(400);
    expect((await verifyToken({ verificationToken: "" })).status).toBe(400);
    expect((await verifyToken("{not json")).status).toBe(400);
    expect((await verifyToken({ verificationToken: "x" }, {})).status).toBe(401);
  });
});

describe("false negatives (test control)", () => {
  it("the next /touch says 'not signed in' for a live session, once; the SDK sees false, then true", async () => {
    const minted = await mintSession();
    await answerFalseNegatives(minted.userId);
    expect(await (await importedParaServer(minted)).isSessionActive()).toBe(false);
    expect(await (await importedParaServer(minted)).isSessionActive()).toBe(true);
  });
});
