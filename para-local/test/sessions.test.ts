import { Para as ParaServer } from "@getpara/server-sdk";
import { afterAll, describe, expect, it } from "vitest";
import {
  advanceClock,
  answerFalseNegatives,
  delayRequests,
  expireUserSessions,
  importedParaServer,
  mintSession,
  walletOf,
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
    expect(Object.keys(para.wallets).sort()).toEqual([...new Set(minted.wallets.map((w) => w.id))].sort());
    expect(await para.isSessionActive()).toBe(true);
    expect(para.exportSession()).toBe(minted.session);
  });

  it("mints SDK 2.18's layout by default: one secp256k1 wallet for EVM and Cosmos, one ed25519, with signers of Para's size", async () => {
    const minted = await mintSession();
    expect(minted.layout).toBe("per-scheme");
    const para = await importedParaServer(minted);
    const wallets = Object.values(para.wallets);
    expect(wallets.map((w) => `${w.type}/${w.scheme}`).sort()).toEqual(["COSMOS/DKLS", "SOLANA/ED25519"]);
    expect(para.currentWalletIds.EVM).toEqual(para.currentWalletIds.COSMOS);
    expect(walletOf(minted, "EVM").id).toBe(walletOf(minted, "COSMOS").id);
    expect(walletOf(minted, "EVM").address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(walletOf(minted, "COSMOS").address).toMatch(/^cosmos1/);
    // Para's signers: ≈ 3.3 KB for a DKLS share, ≈ 0.5 KB for an ed25519 one; the session with both ≈ 6 KB.
    const signerLength = (scheme: string) => wallets.find((w) => w.scheme === scheme)!.signer!.length;
    expect(signerLength("DKLS")).toBe(3300);
    expect(signerLength("ED25519")).toBe(500);
    expect(minted.session.length).toBeGreaterThan(5500);
    const withoutSigners = await para.exportSession({ excludeSigners: true });
    expect(withoutSigners.length).toBeLessThan(minted.session.length - 4000);
  });

  it("mints the three-wallet layout of older SDKs on request, and the server SDK takes it", async () => {
    const minted = await mintSession({ layout: "per-type" });
    const para = await importedParaServer(minted);
    expect(
      Object.values(para.wallets)
        .map((w) => `${w.type}/${w.scheme}`)
        .sort(),
    ).toEqual(["COSMOS/DKLS", "EVM/DKLS", "SOLANA/ED25519"]);
    expect(para.currentWalletIds.EVM).not.toEqual(para.currentWalletIds.COSMOS);
    expect(await para.isSessionActive()).toBe(true);
  });

  it("a delayed route answers late, matched by its pattern; a pattern that is not a route is refused", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    await delayRequests({ method: "POST", path: "/users/:userId/session/keep-alive", ms: 500 });
    const started = performance.now();
    expect(await para.keepSessionAlive()).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(490);
    await expect(delayRequests({ method: "POST", path: "not a path", ms: 5 })).rejects.toThrow(/400/);
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
