// Sign-up and log-in over HTTP, as the browser SDK's modal and the portal's password page
// drive them (the real modal runs them in e2e/sign-up.spec.ts), and the 4xx each step
// answers to malformed or out-of-order calls.
import { constants, createDecipheriv, generateKeyPairSync, type KeyObject, privateDecrypt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encryptToPublicKey } from "../credentials.js";
import { api } from "../testing/index.js";

const PORTAL_URL = "http://localhost:3003";

/** A password form post from the portal's own page. */
async function portal(path: string, body: unknown, origin = PORTAL_URL) {
  const response = await fetch(`${PORTAL_URL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

async function touch(cookie?: string) {
  const response = await api("POST", "/touch?regenerate=false", { cookie });
  return JSON.parse(response.text) as {
    isAuthenticated: boolean;
    sessionLookupId: string;
    userId?: string;
    currentWalletIds?: Record<string, string[]>;
    needsWallet: boolean;
  };
}

async function newSessionCookie(): Promise<string> {
  const response = await fetch("http://localhost:8080/touch?regenerate=false", {
    method: "POST",
    headers: { "x-external-api-key": "para-local-key" },
  });
  const cookie = response.headers.get("x-capsule-sid");
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

/** init → verify → PENDING password → the portal's page sets it: the modal's sign-up. */
async function signUp(email: string, password: string) {
  const cookie = await newSessionCookie();
  const init = JSON.parse((await api("POST", "/users/init", { cookie, body: { email } })).text) as { stage: string; userId: string };
  expect(init.stage).toBe("verify");
  const verified = await api("POST", `/users/${init.userId}/verify`, { cookie, body: { verificationCode: "123456" } });
  expect(verified.status).toBe(200);
  const key = await api("POST", `/users/${init.userId}/passwords/key`, { cookie, body: { status: "PENDING" } });
  const { id: passwordId } = JSON.parse(key.text) as { id: string };
  const set = await portal(`/web/users/${init.userId}/passwords/${passwordId}`, { password });
  expect(set).toEqual({ status: 200, text: "ok" });
  return { cookie, userId: init.userId, passwordId };
}

describe("sign-up", () => {
  it("signs in the session that verified the code once the password is set", async () => {
    const email = `New.User-${randomUUID()}@Example.com`;
    const cookie = await newSessionCookie();
    const init = await api("POST", "/users/init", { cookie, body: { email } });
    const state = JSON.parse(init.text) as Record<string, unknown>;
    expect(state).toMatchObject({
      stage: "verify",
      nextStage: "signup",
      signupAuthMethods: ["PASSWORD"],
      auth: { email: email.toLowerCase() },
    });
    const userId = state.userId as string;

    expect(JSON.parse((await api("POST", `/users/${userId}/verify`, { cookie, body: { verificationCode: "000000" } })).text)).toMatchObject(
      { stage: "signup", userId },
    );
    const { id: passwordId } = JSON.parse(
      (await api("POST", `/users/${userId}/passwords/key`, { cookie, body: { status: "PENDING" } })).text,
    ) as { id: string };
    expect((await touch(cookie)).isAuthenticated).toBe(false);

    const page = await fetch(`${PORTAL_URL}/web/users/${userId}/passwords/${passwordId}?origin=http%3A%2F%2Flocalhost%3A3000`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Create a password");
    expect(await portal(`/web/users/${userId}/passwords/${passwordId}`, { password: "long enough" })).toEqual({ status: 200, text: "ok" });

    expect(await touch(cookie)).toMatchObject({ isAuthenticated: true, userId, needsWallet: true });
    const passwords = JSON.parse((await api("GET", `/users/passwords?userId=${userId}`, { cookie })).text) as {
      passwords: { id: string; status: string; sigDerivedPublicKey: string }[];
    };
    expect(passwords.passwords).toEqual([
      { id: passwordId, status: "COMPLETE", sigDerivedPublicKey: expect.stringMatching(/^[0-9a-f]+$/) },
    ]);
    const methods = await api("GET", `/users/supported-auth-methods/v2?email=${encodeURIComponent(email)}`);
    expect(JSON.parse(methods.text)).toEqual({ supportedAuthMethods: ["PASSWORD"], hasPasswordWithoutPIN: true });
  });

  it("refuses bad input with a 400, and out-of-order calls with a 4xx", async () => {
    const cookie = await newSessionCookie();
    for (const body of ["{oops", "[1]", {}, { email: "not-an-email" }, { phone: "12345" }, { email: 42 }]) {
      const answer = await api("POST", "/users/init", { cookie, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    const { userId } = JSON.parse((await api("POST", "/users/init", { cookie, body: { phone: "+14155550123" } })).text) as {
      userId: string;
    };
    for (const verificationCode of ["12345", "abcdef", 123456]) {
      expect((await api("POST", `/users/${userId}/verify`, { cookie, body: { verificationCode } })).status).toBe(400);
    }
    // A password before the code is verified; another session; an unknown user.
    expect((await api("POST", `/users/${userId}/passwords/key`, { cookie, body: { status: "PENDING" } })).status).toBe(403);
    expect(
      (await api("POST", `/users/${userId}/verify`, { cookie: await newSessionCookie(), body: { verificationCode: "123456" } })).status,
    ).toBe(403);
    expect((await api("POST", `/users/${randomUUID()}/verify`, { cookie, body: { verificationCode: "123456" } })).status).toBe(404);
    expect((await api("POST", `/users/${userId}/resend-verification-code`, { cookie, body: { type: "FAX" } })).status).toBe(400);
    expect((await api("POST", `/users/${userId}/resend-verification-code`, { cookie, body: { type: "PHONE" } })).status).toBe(200);
    expect((await api("GET", "/users/supported-auth-methods/v2")).status).toBe(400);
    expect((await api("GET", `/users/passwords?userId=${userId}`, { cookie })).status).toBe(401);
  });

  it("the password page refuses weak, repeated and cross-origin passwords", async () => {
    const cookie = await newSessionCookie();
    const { userId } = JSON.parse(
      (await api("POST", "/users/init", { cookie, body: { email: `weak-${randomUUID()}@example.com` } })).text,
    ) as { userId: string };
    await api("POST", `/users/${userId}/verify`, { cookie, body: { verificationCode: "123456" } });
    const { id } = JSON.parse((await api("POST", `/users/${userId}/passwords/key`, { cookie, body: { status: "PENDING" } })).text) as {
      id: string;
    };
    const path = `/web/users/${userId}/passwords/${id}`;
    expect((await portal(path, { password: "short" })).status).toBe(400);
    expect((await portal(path, "{oops")).status).toBe(400);
    expect((await portal(path, { password: 12345678 })).status).toBe(400);
    expect((await portal(path, { password: "long enough" }, "http://evil.example")).status).toBe(403);
    expect((await portal(path, { password: "long enough" })).status).toBe(200);
    expect((await portal(path, { password: "long enough" })).status).toBe(409);
    expect((await api("POST", `/users/${userId}/passwords/key`, { cookie, body: { status: "PENDING" } })).status).toBe(409);
    expect((await fetch(`${PORTAL_URL}/web/users/${userId}/passwords/${randomUUID()}`)).status).toBe(404);
  });
});

describe("log-in on a new device", () => {
  it("hands the new session the user's shares, encrypted to the device's key", async () => {
    const email = `returning-${randomUUID()}@example.com`;
    const password = "correct horse battery";
    const first = await signUp(email, password);

    // What the browser SDK does after keygen: register the wallet, then upload its share
    // encrypted to the password's public key (`distributeNewShare`).
    const created = await api("POST", `/users/${first.userId}/wallets`, { cookie: first.cookie, body: { type: "EVM", scheme: "DKLS" } });
    const { walletId } = JSON.parse(created.text) as { walletId: string };
    const key = "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    expect((await api("POST", `/local/wallets/${walletId}/public-key`, { cookie: first.cookie, body: { publicKey: key } })).status).toBe(
      200,
    );
    const { passwords } = JSON.parse((await api("GET", `/users/passwords?userId=${first.userId}`, { cookie: first.cookie })).text) as {
      passwords: { id: string; sigDerivedPublicKey: string }[];
    };
    const signer = JSON.stringify({ format: "test-signer", walletId });
    const share = {
      walletId,
      type: "USER",
      encryptor: "PASSWORD",
      passwordId: passwords[0]!.id,
      ...encryptToPublicKey(passwords[0]!.sigDerivedPublicKey, signer),
    };
    expect((await api("POST", `/users/${first.userId}/key-shares`, { cookie: first.cookie, body: { keyShares: [share] } })).status).toBe(
      200,
    );

    // The new device: /users/init says "login"; its new session and one-time key go to the portal's login page.
    const cookie = await newSessionCookie();
    const init = JSON.parse((await api("POST", "/users/init", { cookie, body: { email } })).text) as Record<string, unknown>;
    expect(init).toMatchObject({ stage: "login", userId: first.userId, loginAuthMethods: ["PASSWORD"], hasPasswordWithoutPIN: true });
    const { sessionLookupId } = await touch(cookie);
    const device = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const encryptionKey = Buffer.from(device.publicKey.export({ type: "pkcs1", format: "pem" }) as string).toString("hex");
    const login = { userId: first.userId, sessionId: sessionLookupId, encryptionKey };

    expect(await portal("/web/passwords/login", { ...login, password: "wrong password" })).toEqual({
      status: 403,
      text: "Incorrect password.",
    });
    expect((await touch(cookie)).isAuthenticated).toBe(false);
    expect((await portal("/web/passwords/login", { ...login, encryptionKey: "abcd", password })).status).toBe(400);
    expect((await portal("/web/passwords/login", { ...login, sessionId: randomUUID(), password })).status).toBe(403);
    expect(await portal("/web/passwords/login", { ...login, password })).toEqual({ status: 200, text: "ok" });

    expect(await touch(cookie)).toMatchObject({
      isAuthenticated: true,
      userId: first.userId,
      currentWalletIds: { EVM: [walletId], COSMOS: [walletId] },
    });
    const shares = await api("GET", `/users/${first.userId}/temporary-shares?sessionLookupId=${sessionLookupId}`, { cookie });
    const { temporaryShares } = JSON.parse(shares.text) as {
      temporaryShares: { walletId: string; walletScheme: string; encryptedShare: string; encryptedKey: string }[];
    };
    expect(temporaryShares).toHaveLength(1);
    expect(temporaryShares[0]).toMatchObject({ walletId, walletScheme: "DKLS" });
    expect(decryptAsTheSdk(device.privateKey, temporaryShares[0]!)).toBe(signer);
    // Only for that session.
    expect(
      (await api("GET", `/users/${first.userId}/temporary-shares?sessionLookupId=${sessionLookupId}`, { cookie: first.cookie })).status,
    ).toBe(403);
  });
});

/** core-sdk's `decryptWithPrivateKey`: RSA-OAEP(SHA-1) key as hex of its UTF-8 binary string, AES-128-CBC with forge's fixed IV. */
function decryptAsTheSdk(privateKey: KeyObject, share: { encryptedShare: string; encryptedKey: string }): string {
  const wrapped = Buffer.from(Buffer.from(share.encryptedKey, "hex").toString("utf8"), "latin1");
  const key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, wrapped);
  const decipher = createDecipheriv("aes-128-cbc", key, Buffer.from("794241bc819a125a", "latin1"));
  return Buffer.concat([decipher.update(Buffer.from(share.encryptedShare, "hex")), decipher.final()]).toString("utf8");
}
