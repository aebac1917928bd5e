import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { EncryptJWT, exportJWK } from "jose";
import { Client } from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { TRANSPORT_ALG, TRANSPORT_ENC, type TransportKeySet } from "../../lib/transport/encrypt-session";
import { type MintedSession, mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type ErrorBody } from "./client";
import { instancesForThisFile, postgresForThisFile } from "./own-app";

// The exported session travels encrypted to the server's key (a JWE), on two instances sharing one
// Postgres as Vercel runs them, and on a third that also takes it plain (SESSION_TRANSPORT=any).

quietSdkLogs();
paraLocalForThisFile();
const postgres = postgresForThisFile();

type Instance = 0 | 1 | 2;
let databaseUrl: string;
const OLD_KEY = randomBytes(32).toString("base64");
const NEW_KEY = randomBytes(32).toString("base64");
const SESSION_SECRET = randomBytes(32).toString("base64");
const instances = instancesForThisFile([3111, 3112, 3113], () => ({ DATABASE_URL: databaseUrl, SESSION_SECRET }));
const startInstance = (i: Instance, env: Record<string, string>) => instances.start(i, env);

beforeAll(async () => {
  if (!postgres.available) return;
  databaseUrl = await postgres.database("app_session_transport");
  await startInstance(0, { DATA_ENCRYPTION_KEY: OLD_KEY });
  await startInstance(1, { DATA_ENCRYPTION_KEY: OLD_KEY });
  await startInstance(2, { DATA_ENCRYPTION_KEY: OLD_KEY, SESSION_TRANSPORT: "any" });
}, 180_000);

const urlOf = (instance: Instance) => instances.url(instance);
/** The one origin the browser sees: a load balancer in front of the instances forwards it to each. */
const ORIGIN = urlOf(0);

function clientOf(instance: Instance): AppClient {
  const client = new AppClient();
  Object.defineProperty(client, "baseUrl", { value: urlOf(instance), configurable: true });
  return client;
}

async function keysOf(instance: Instance): Promise<TransportKeySet> {
  return (await (await fetch(`${urlOf(instance)}/api/session/transport-key`)).json()) as TransportKeySet;
}

/** POST /api/session with `session` exactly as given (already encrypted, or plain on purpose), through the load balancer. */
const send = (instance: Instance, session: string) =>
  clientOf(instance).request<ErrorBody & { transport?: unknown }>("POST", "/api/session", {
    json: { session },
    plaintext: true,
    headers: { "content-type": "application/json", "x-forwarded-host": new URL(ORIGIN).host, "x-forwarded-proto": "http" },
  });

/** An encrypted session as a client could make one, every claim and header chosen by the test. */
async function jweOf(
  session: string,
  {
    key,
    kid,
    audience = ORIGIN,
    issuedAt = Math.floor(Date.now() / 1000),
    expiresAt = issuedAt + 120,
  }: { key: Parameters<EncryptJWT["encrypt"]>[0]; kid: string; audience?: string; issuedAt?: number; expiresAt?: number },
): Promise<string> {
  return new EncryptJWT({ session })
    .setProtectedHeader({ alg: TRANSPORT_ALG, enc: TRANSPORT_ENC, kid })
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .setAudience(audience)
    .encrypt(key);
}

/** The rows a sign-in may write: stored sessions, and taken `jti`s. */
async function rows(): Promise<{ sessions: number; jtis: number }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const count = async (table: string) => (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
    return { sessions: await count("para_sessions"), jtis: await count("used_transport_jtis") };
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgres.available)("the session travels encrypted to the server's key", () => {
  let user: MintedSession;
  beforeAll(async () => {
    user = await mintSession();
  });

  it("publishes P-256 encryption keys with a kid, and never their private part", async () => {
    const { keys } = await keysOf(0);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", use: "enc", alg: TRANSPORT_ALG });
    expect(keys[0]!.kid).toMatch(/^[\w-]{43}$/);
    expect(keys[0]).not.toHaveProperty("d");
    // Every instance derives the same key from the same data key.
    expect(await keysOf(1)).toEqual({ keys });
  });

  it("imports an encrypted session and says which key it came to", async () => {
    const client = clientOf(0);
    const { jwe, kid } = await client.encrypt(user.session);
    const answer = await client.request<{ userId: string; transport: unknown }>("POST", "/api/session", {
      json: { session: jwe },
      plaintext: true,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ userId: user.userId, transport: { encrypted: true, kid } });
    expect(answer.text).not.toContain(user.session);
  });

  it("refuses each bad envelope with its own code, and stores nothing", async () => {
    const fresh = await mintSession();
    const [current] = (await keysOf(0)).keys;
    const serverKey = current!;
    const now = Math.floor(Date.now() / 1000);
    const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const strangerJwk = await exportJWK(stranger.publicKey);
    const good = await jweOf(fresh.session, { key: serverKey, kid: current!.kid });
    const [header, encryptedKey, iv, ciphertext, tag] = good.split(".");
    const flipped = ciphertext!.slice(0, -2) + (ciphertext!.at(-2) === "A" ? "B" : "A") + ciphertext!.at(-1);

    const cases: [string, string, number, string][] = [
      ["a plain exported session", fresh.session, 400, "encryption_required"],
      [
        "a kid the server does not have",
        await jweOf(fresh.session, { key: strangerJwk, kid: "not-a-key-of-this-server" }),
        400,
        "transport_key_unknown",
      ],
      ["the server's kid, another key", await jweOf(fresh.session, { key: strangerJwk, kid: current!.kid }), 400, "transport_invalid"],
      ["a tampered ciphertext", [header, encryptedKey, iv, flipped, tag].join("."), 400, "transport_invalid"],
      ["not a JWE at all, shaped like one", "a.b.c.d.e", 400, "transport_invalid"],
      [
        "expired",
        await jweOf(fresh.session, { key: serverKey, kid: current!.kid, issuedAt: now - 600, expiresAt: now - 300 }),
        400,
        "transport_expired",
      ],
      [
        "meant to travel 10 minutes",
        await jweOf(fresh.session, { key: serverKey, kid: current!.kid, expiresAt: now + 600 }),
        400,
        "transport_expired",
      ],
      [
        "for another app",
        await jweOf(fresh.session, { key: serverKey, kid: current!.kid, audience: "https://other.example" }),
        400,
        "transport_audience",
      ],
    ];
    const before = await rows();
    for (const [what, session, status, code] of cases) {
      const answer = await send(0, session);
      expect(answer.status, `${what}: ${answer.text}`).toBe(status);
      expect(answer.body.error.code, what).toBe(code);
      expect(answer.headers.getSetCookie(), what).toEqual([]);
    }
    expect(await rows()).toEqual(before);
    // The same session, encrypted properly, is imported: the cases above could have passed.
    expect((await send(0, good)).status).toBe(200);
  });

  it("takes each encrypted session once, on whichever instance sees it first", async () => {
    const replayed = await mintSession();
    const { jwe } = await clientOf(0).encrypt(replayed.session, ORIGIN);
    expect((await send(0, jwe)).status).toBe(200);
    const before = await rows();
    for (const instance of [0, 1] as const) {
      const again = await send(instance, jwe);
      expect(again.status, again.text).toBe(409);
      expect(again.body.error.code).toBe("transport_replayed");
    }
    expect(await rows()).toEqual(before);
  });

  it("still refuses a replay just past exp, while the clock tolerance would take it", async () => {
    const [current] = (await keysOf(0)).keys;
    const now = Math.floor(Date.now() / 1000);
    const late = await jweOf((await mintSession()).session, { key: current!, kid: current!.kid, issuedAt: now - 125, expiresAt: now - 5 });
    expect((await send(0, late)).status).toBe(200);
    const again = await send(1, late);
    expect(again.status, again.text).toBe(409);
  });

  it("gives the jti back when the import is refused: no row, and the same request gets the same answer", async () => {
    const { jwe } = await clientOf(0).encrypt(Buffer.from("not an exported session").toString("base64"), ORIGIN);
    const before = await rows();
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await send(0, jwe);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body.error.code).toBe("session_malformed");
    }
    expect(await rows()).toEqual(before);
  });

  it("refuses a jti that cannot be stored as it is, and a compressed JWE", async () => {
    const [current] = (await keysOf(0)).keys;
    const session = (await mintSession()).session;
    const withNul = await new EncryptJWT({ session })
      .setProtectedHeader({ alg: TRANSPORT_ALG, enc: TRANSPORT_ENC, kid: current!.kid })
      .setIssuedAt()
      .setExpirationTime("2m")
      .setJti("a\u0000b")
      .setAudience(ORIGIN)
      .encrypt(current!);
    const nul = await send(0, withNul);
    expect(nul.status, nul.text).toBe(400);
    expect(nul.body.error.code).toBe("transport_invalid");
    const compressed = await new EncryptJWT({ session })
      .setProtectedHeader({ alg: TRANSPORT_ALG, enc: TRANSPORT_ENC, kid: current!.kid, zip: "DEF" })
      .setIssuedAt()
      .setExpirationTime("2m")
      .setJti(randomUUID())
      .setAudience(ORIGIN)
      .encrypt(current!);
    const zipped = await send(0, compressed);
    expect(zipped.status, zipped.text).toBe(400);
    expect(zipped.body.error.code).toBe("transport_invalid");
  });

  it("takes a plain session only where SESSION_TRANSPORT=any, and an encrypted one there too", async () => {
    const plain = await send(2, (await mintSession()).session);
    expect(plain.status, plain.text).toBe(200);
    expect(plain.body.transport).toEqual({ encrypted: false });
    const { jwe } = await clientOf(2).encrypt((await mintSession()).session, ORIGIN);
    expect((await send(2, jwe)).status).toBe(200);
  });

  it("a key rotation in two steps loses no sign-in in flight", async () => {
    const inFlight = async (instance: Instance) => clientOf(instance).encrypt((await mintSession()).session, ORIGIN);
    const oldKid = (await keysOf(0)).keys[0]!.kid;
    const madeBeforeStep1 = await inFlight(0);

    // Step 1: instance 1 learns the new key for opening only; it still publishes the old one first.
    await startInstance(1, { DATA_ENCRYPTION_KEY: `2=${NEW_KEY},1=${OLD_KEY}`, DATA_ENCRYPTION_KEY_ID: "1" });
    const step1Keys = (await keysOf(1)).keys;
    expect(step1Keys.map((key) => key.kid)).toHaveLength(2);
    expect(step1Keys[0]!.kid).toBe(oldKid);
    expect((await send(1, madeBeforeStep1.jwe)).status).toBe(200);
    const madeDuringStep1 = await inFlight(1);

    // Step 2: instance 0 encrypts to (and publishes first) the new key; instance 1, still at step 1, opens it.
    await startInstance(0, { DATA_ENCRYPTION_KEY: `2=${NEW_KEY},1=${OLD_KEY}` });
    const madeAfterStep2 = await inFlight(0);
    expect(madeAfterStep2.kid).not.toBe(oldKid);
    expect((await send(1, madeAfterStep2.jwe)).status).toBe(200);
    expect((await send(0, madeDuringStep1.jwe)).status).toBe(200);
  });
});
