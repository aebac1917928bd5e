import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type MintedSession, mintSession, PARTNER_ID, quietSdkLogs } from "../../para-local/testing";
import { AppClient, type ErrorBody, SESSION_COOKIE } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

// An attacker who has read this repo writes the request body. Each forged blob below is built from
// real minted sessions: the victim's and the attacker's own. None may make the server act as the victim.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

interface SessionView {
  userId: string;
  identifier: string;
  wallets: { id: string; type: string; address: string | null }[];
}
type Exported = {
  userId: string;
  authInfo: { auth: Record<string, string>; authType: string; identifier: string } | null;
  wallets: Record<string, Record<string, unknown>>;
  currentWalletIds: Record<string, string[]>;
  sessionCookie: string | null;
  externalWallets: Record<string, unknown>;
};

const decode = (serialized: string) => JSON.parse(Buffer.from(serialized, "base64").toString("utf8")) as Exported;
const encode = (json: Exported) => Buffer.from(JSON.stringify(json)).toString("base64");
const mint = (name: string) => mintSession({ email: `${name}-${randomUUID().slice(0, 8)}@example.com` });

async function signIn(serialized: string) {
  const client = new AppClient();
  const response = await client.request<SessionView & ErrorBody>("POST", "/api/session", { json: { session: serialized } });
  return { client, response };
}

/** A victim who signed in and has a pregenerated set the server holds for them. */
async function victimWithWallets() {
  const victim = await mint("victim");
  const { client, response } = await signIn(victim.session);
  expect(response.status, response.text).toBe(200);
  const created = await client.request<{ id: string }>("POST", "/api/wallets/pregen", {
    json: { identifier: { type: "customId", value: `victim-set-${randomUUID()}` } },
  });
  expect(created.status, created.text).toBe(201);
  return { victim, client, setId: created.body.id };
}

/** The forged sign-in is refused: 401 with `code`, no cookie, and nothing of the victim's reachable after it. */
async function expectRefused(forged: string, code: string, victim: { setId: string }) {
  const { client, response } = await signIn(forged);
  expect(response.status, response.text).toBe(401);
  expect(response.body.error.code).toBe(code);
  expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  expect((await client.request("GET", "/api/wallets/pregen")).status).toBe(401);
  expect((await client.request("POST", "/api/examples/viem/pregen", { json: { setId: victim.setId } })).status).toBe(401);
  return response.body.error.message;
}

describe("forged exported sessions", () => {
  it("no Para session at all (external wallets only, the victim's userId): refused without asking the SDK", async () => {
    const target = await victimWithWallets();
    const forged = encode({
      userId: target.victim.userId,
      authInfo: null,
      wallets: {},
      currentWalletIds: {},
      sessionCookie: null,
      externalWallets: {
        "0x000000000000000000000000000000000000dEaD": {
          id: "0x000000000000000000000000000000000000dEaD",
          address: "0x000000000000000000000000000000000000dEaD",
          type: "EVM",
          isExternal: true,
        },
      },
    });
    expect(await expectRefused(forged, "session_invalid", target)).toMatch(/external wallets/);
    // Without the external wallets it still names no Para session.
    expect(await expectRefused(encode({ ...decode(forged), externalWallets: {} }), "session_invalid", target)).toMatch(
      /no Para session cookie/,
    );
  });

  it("the attacker's own live session with the victim's userId pasted in", async () => {
    const target = await victimWithWallets();
    const attacker = decode((await mint("attacker")).session);
    const forged = encode({ ...attacker, userId: target.victim.userId });
    expect(await expectRefused(forged, "session_invalid", target)).toMatch(/not the user Para says/);
  });

  it("the attacker's own session with the victim's email as its identifier: the server shows Para's identifier", async () => {
    const target = await victimWithWallets();
    const minted = await mint("attacker");
    const attacker = decode(minted.session);
    const authInfo = { auth: { email: target.victim.identifier }, authType: "email", identifier: target.victim.identifier };
    const { client, response } = await signIn(encode({ ...attacker, authInfo }));
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ userId: minted.userId, identifier: minted.identifier });
    expect(response.text).not.toContain(target.victim.identifier);
    expect((await client.request<SessionView>("GET", "/api/session")).body.identifier).toBe(minted.identifier);
    // Still only the attacker: the victim's set is not theirs.
    expect((await client.request("GET", `/api/wallets/pregen/${target.setId}`)).status).toBe(403);
    expect((await client.request<{ pregenWallets: unknown[] }>("GET", "/api/wallets/pregen")).body.pregenWallets).toEqual([]);
  });

  it("the attacker's own session with the victim's wallets pasted in", async () => {
    const target = await victimWithWallets();
    const attacker = decode((await mint("attacker")).session);
    const victim = decode(target.victim.session);
    const forged = encode({ ...attacker, wallets: victim.wallets, currentWalletIds: victim.currentWalletIds });
    expect(await expectRefused(forged, "session_invalid", target)).toMatch(/wallet that Para does not list/);
    // One victim wallet mixed in with the attacker's own is refused as well.
    const [victimWalletId, victimWallet] = Object.entries(victim.wallets)[0]!;
    const mixed = encode({ ...attacker, wallets: { ...attacker.wallets, [victimWalletId]: victimWallet } });
    await expectRefused(mixed, "session_invalid", target);
    // And so is the attacker's own wallet relabelled with the victim's address.
    const [ownId, own] = Object.entries(attacker.wallets).find(([, wallet]) => wallet.scheme === "DKLS")!;
    const victimEvm = Object.values(victim.wallets).find((wallet) => wallet.scheme === "DKLS")!;
    const relabelled = encode({ ...attacker, wallets: { ...attacker.wallets, [ownId]: { ...own, address: victimEvm.address } } });
    await expectRefused(relabelled, "session_invalid", target);
  });

  it("an invented Para session cookie with the victim's userId", async () => {
    const target = await victimWithWallets();
    const victim = decode(target.victim.session);
    const forged = encode({ ...victim, sessionCookie: `capsule.sid=s%3A${randomBytes(24).toString("base64url")}` });
    const { client, response } = await signIn(forged);
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(target.victim.userId);
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("the victim, signing in after all of these, is still the victim and still has their wallets", async () => {
    const target = await victimWithWallets();
    await expectRefused(encode({ ...decode((await mint("attacker")).session), userId: target.victim.userId }), "session_invalid", target);
    const { client, response } = await signIn(target.victim.session);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: target.victim.userId, identifier: target.victim.identifier });
    const list = await client.request<{ pregenWallets: { id: string }[] }>("GET", "/api/wallets/pregen");
    expect(list.body.pregenWallets.map((set) => set.id)).toEqual([target.setId]);
    expect((await client.request("POST", "/api/examples/viem/pregen", { json: { setId: target.setId } })).status).toBe(200);
    // The same Para session imported again replaces what the server stored for it: the first cookie names nothing now.
    expect((await target.client.request<ErrorBody>("GET", "/api/session")).body.error.code).toBe("unauthorized");
  });
});

describe("identity on later requests comes from Para", () => {
  it("import runs the guide's ParaServer (7 calls), a check one /touch, keep-alive the guide's too; the x-para-calls header lists them", async () => {
    const store = () => paraLocal.current!.store;
    const user: MintedSession = await mint("counted");
    await signIn(user.session); // warms the JWKS cache for this para-local
    const client = new AppClient();
    const calls = async (method: string, path: string, json?: unknown) => {
      const before = store().apiRequests;
      const response = await client.request(method, path, { json });
      const seen = store()
        .requestLog.slice(-(store().apiRequests - before))
        .map(({ method, path }) => `${method} ${path}`);
      // What the app says it asked (its trace header) is what para-local saw.
      const traced = (JSON.parse(response.headers.get("x-para-calls") ?? "null") as { method: string; path: string; status: number }[]).map(
        ({ method, path }) => `${method} ${path}`,
      );
      expect(traced).toEqual(seen);
      return seen;
    };
    // A new ParaServer's own five (an anonymous session checked, the partner, logged out), then isSessionActive() and issueJwt().
    const construction = ["POST /touch", `GET /partners/${PARTNER_ID}`, "POST /touch", "POST /touch", "GET /logout"];
    expect(await calls("POST", "/api/session", { session: user.session })).toEqual([...construction, "POST /touch", "POST /auth/jwt"]);
    expect(await calls("GET", "/api/session")).toEqual(["POST /touch"]);
    // Keep-alive: importSession, keepSessionAlive(), then Para's new end (a JWT issued after it).
    expect(await calls("POST", "/api/session/keep-alive")).toEqual([
      ...construction,
      `POST /users/${user.userId}/session/keep-alive`,
      "POST /auth/jwt",
    ]);
  });
});
