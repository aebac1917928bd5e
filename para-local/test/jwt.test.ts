import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it, vi } from "vitest";
import {
  API_URL,
  api,
  expireUserSessions,
  importedParaServer,
  mintSession,
  walletOf,
  PARTNER_ID,
  quietSdkLogs,
  rotateJwtKey,
} from "../testing/index.js";

quietSdkLogs();

const jwks = createRemoteJWKSet(new URL(`${API_URL}/.well-known/jwks.json`));

describe("issueJwt and the JWKS", () => {
  it("issues an RS256 token that verifies against the JWKS, with Para's claims", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    const { token, keyId } = await para.issueJwt();
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", kid: keyId });

    const { payload } = await jwtVerify(token, jwks, { audience: PARTNER_ID, subject: minted.userId, algorithms: ["RS256"] });
    expect(payload.data).toEqual({
      userId: minted.userId,
      email: minted.identifier,
      authType: "email",
      identifier: minted.identifier,
      wallets: expect.arrayContaining(minted.wallets.map(({ id }) => expect.objectContaining({ id }))),
    });
    const wallets = (payload.data as { wallets: { id: string; type: string; address: string; publicKey: string }[] }).wallets;
    // SDK 2.18's layout: one secp256k1 wallet (typed COSMOS, serving EVM too) and one ed25519 wallet.
    expect(wallets.map((w) => w.type).sort()).toEqual(["COSMOS", "SOLANA"]);
    const secp256k1 = wallets.find((w) => w.id === walletOf(minted, "EVM").id)!;
    expect(secp256k1.address).toBe(walletOf(minted, "EVM").address);
    expect(secp256k1.publicKey).toMatch(/^0x04[0-9a-f]{128}$/);
    expect(wallets.find((w) => w.type === "SOLANA")!.publicKey).toBe(""); // as Para's docs show
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
  });

  it("names a phone user's phone", async () => {
    const minted = await mintSession({ phone: "+15555550188" });
    const { token } = await (await importedParaServer(minted)).issueJwt();
    const { payload } = await jwtVerify(token, jwks, { audience: PARTNER_ID });
    expect(payload.data).toMatchObject({ phone: "+15555550188", authType: "phone", identifier: "+15555550188" });
  });

  it("refuses once the session expired, and refuses unknown key indexes", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    expect((await api("POST", "/auth/jwt", { cookie: minted.sessionCookie, body: { keyIndex: 3 } })).status).toBe(400);
    await expireUserSessions(minted.userId);
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(para.issueJwt()).rejects.toThrow();
    expect(warned).toHaveBeenCalledWith(expect.stringMatching(/needs to be logged in to issue a JWT/));
    warned.mockRestore();
    expect((await api("POST", "/auth/jwt", { cookie: minted.sessionCookie, body: {} })).status).toBe(401);
  });

  it("rotates its key: new tokens name the new kid, and the JWKS publishes the new key beside the previous one", async () => {
    const minted = await mintSession();
    const para = await importedParaServer(minted);
    const before = await para.issueJwt();
    const { kid } = await rotateJwtKey();
    const after = await para.issueJwt();
    expect(after.keyId).toBe(kid);
    expect(after.keyId).not.toBe(before.keyId);

    const published = (await (await fetch(`${API_URL}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(published.keys.map((key) => key.kid)).toEqual([after.keyId, before.keyId]);
    // A fresh key set (a verifier that has not cached the old keys) verifies both tokens.
    const fresh = createRemoteJWKSet(new URL(`${API_URL}/.well-known/jwks.json`));
    await expect(jwtVerify(after.token, fresh, { audience: PARTNER_ID })).resolves.toBeTruthy();
    await expect(jwtVerify(before.token, fresh, { audience: PARTNER_ID })).resolves.toBeTruthy();
  });
});
