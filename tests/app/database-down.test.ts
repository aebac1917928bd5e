import { describe, expect, it } from "vitest";
import { Client } from "pg";
import { delayRequests, expireUserSessions, mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import type { ErrorBody } from "./client";
import { ownAppForThisFile, postgresForThisFile } from "./own-app";

// The app on a Postgres of its own (the suite's app uses PGlite), which these tests can read and
// stop: no refused request leaves a row behind; and with the database down every route answers 503
// with Retry-After, nothing stored is lost, and it recovers by itself.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const postgres = postgresForThisFile();

let databaseUrl: string;
const { Client: DbAppClient } = ownAppForThisFile(
  3104,
  async () => ({ DATABASE_URL: (databaseUrl = await postgres.database("app_db_down")) }),
  {
    skip: !postgres.available,
  },
);

/** The rows of a table whose `column` is `value`. */
async function rowCountWhere(table: "para_sessions", column: "user_id", value: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(`select count(*)::int as n from ${table} where ${column} = $1`, [value])).rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** The rows of a table, as the database holds them. */
async function rowCount(table: "para_sessions" | "pregen_wallets"): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
  } finally {
    await client.end();
  }
}

const encode = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64");

describe.skipIf(!postgres.available)("refused requests store nothing", () => {
  it("malformed, forged, expired or oversized sessions and bad pregen requests leave no row", async () => {
    const attacker = await mintSession();
    const victim = await mintSession();
    const forgedUser = encode({ ...JSON.parse(Buffer.from(attacker.session, "base64").toString()), userId: victim.userId });
    const expired = await mintSession();
    await expireUserSessions(expired.userId);
    const sessions = await rowCount("para_sessions");
    const pregen = await rowCount("pregen_wallets");
    const bad: [string, string, unknown][] = [
      ["POST", "/api/session", { session: "%%%" }],
      ["POST", "/api/session", { session: encode({ userId: "u", wallets: {}, currentWalletIds: {} }) }],
      ["POST", "/api/session", { session: forgedUser }],
      ["POST", "/api/session", { session: expired.session }],
      ["POST", "/api/session", { session: "A".repeat(70_000) }],
      ["POST", "/api/session/jwt", { token: "not-a-jwt" }],
      ["POST", "/api/wallets/pregen", { identifier: { type: "email", value: "someone@example.com" } }],
    ];
    for (const [method, route, json] of bad) {
      const answer = await new DbAppClient().request(method, route, { json });
      expect(answer.status, `${route}: ${answer.text}`).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(await rowCount("para_sessions"), route).toBe(sessions);
      expect(await rowCount("pregen_wallets"), route).toBe(pregen);
    }
    // A good sign-in does write one: the counts above could move.
    expect((await new DbAppClient().request("POST", "/api/session", { json: { session: attacker.session } })).status).toBe(200);
    expect(await rowCount("para_sessions")).toBe(sessions + 1);
  });
});

describe.skipIf(!postgres.available)("at Para's sizes (signers of ≈ 3.3 KB and 0.5 KB)", () => {
  it("a session exported with signers is stored whole, sealed; the cookie stays small; a pregen share is stored whole", async () => {
    const user = await mintSession();
    expect(user.session.length).toBeGreaterThan(5_500);
    const client = new DbAppClient();
    const signedIn = await client.request("POST", "/api/session", { json: { session: user.session } });
    expect(signedIn.status, signedIn.text).toBe(200);
    const cookie = signedIn.headers.getSetCookie().find((line) => line.includes("para_server_sessions"))!;
    // The cookie names the stored row; the session itself never rides in it.
    expect(cookie.length).toBeLessThan(1_500);
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    try {
      const stored = await pg.query<{ n: number }>("select octet_length(sealed_session) as n from para_sessions where user_id = $1", [
        user.userId,
      ]);
      expect(stored.rows[0]!.n).toBeGreaterThan(user.session.length);
      const created = await client.request<{ id: string }>("POST", "/api/wallets/pregen", {
        json: { identifier: { type: "customId", value: `sized-${Date.now()}` } },
      });
      expect(created.status, created.text).toBe(201);
      const share = await pg.query<{ n: number }>("select octet_length(sealed_user_share) as n from pregen_wallets where id = $1", [
        created.body.id,
      ]);
      // getUserShare() holds both signers (3,300 + 500 characters) and the wallets: ≈ 4 KB and more, sealed.
      expect(share.rows[0]!.n).toBeGreaterThan(3_800);
    } finally {
      await pg.end();
    }
  });
});

describe.skipIf(!postgres.available)("no orphan rows", () => {
  it("two imports at once from one browser, a re-import and a logout leave no row of that session behind", async () => {
    const user = await mintSession();
    const client = new DbAppClient();
    const rowsOf = () => rowCountWhere("para_sessions", "user_id", user.userId);
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    const twice = await Promise.all([1, 2].map(() => client.request("POST", "/api/session", { json: { session: user.session } })));
    expect(twice.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await rowsOf()).toBe(1);
    // From another browser too: one Para session, one row (the first browser's cookie now names nothing).
    const other = new DbAppClient();
    expect((await other.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    expect(await rowsOf()).toBe(1);
    expect((await client.request<ErrorBody>("GET", "/api/session")).body.error.code).toBe("unauthorized");
    expect((await other.request("DELETE", "/api/session")).status).toBe(200);
    expect(await rowsOf()).toBe(0);
  });

  it("a refusal still in flight when the user signs in again does not clear the new sign-in's cookie", async () => {
    const first = await mintSession();
    const client = new DbAppClient();
    expect((await client.request("POST", "/api/session", { json: { session: first.session } })).status).toBe(200);
    await expireUserSessions(first.userId);
    // The check of the ended session is still waiting for Para when the new sign-in's answer arrives.
    await delayRequests({ method: "POST", path: "/touch", ms: 1_000 });
    const refusal = client.request<ErrorBody>("GET", "/api/session");
    const second = await mintSession();
    await expect.poll(() => paraLocal.current!.store.delays.at(-1)?.remaining, { timeout: 5_000, interval: 20 }).toBe(0);
    expect((await client.request("POST", "/api/session", { json: { session: second.session } })).status).toBe(200);
    expect((await refusal).body.error.code).toBe("session_expired");
    const now = await client.request<{ userId: string }>("GET", "/api/session");
    expect(now.status, now.text).toBe(200);
    expect(now.body.userId).toBe(second.userId);
    expect(await rowCountWhere("para_sessions", "user_id", first.userId)).toBe(0);
  });
});

describe.skipIf(!postgres.available)("the database down", () => {
  it("every route answers 503 service_unavailable with Retry-After; once it is back, the user's session is still there", async () => {
    const user = await mintSession();
    const client = new DbAppClient();
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);

    postgres.pause();
    try {
      const answers = await Promise.all([
        client.request<ErrorBody>("GET", "/api/session"),
        client.request<ErrorBody>("POST", "/api/session/keep-alive"),
        client.request<ErrorBody>("GET", "/api/wallets/pregen"),
        new DbAppClient().request<ErrorBody>("POST", "/api/session", { json: { session: (await mintSession()).session } }),
      ]);
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(503);
        expect(answer.body.error.code).toBe("service_unavailable");
        expect(answer.headers.get("retry-after")).toBe("5");
      }
      expect((await client.request("GET", "/api/health")).status).toBe(503);
    } finally {
      postgres.resume();
    }
    // The pool reconnects by itself; the same cookie still names the same stored session.
    await expect.poll(async () => (await client.request("GET", "/api/health")).status, { timeout: 30_000 }).toBe(200);
    const back = await client.request<{ userId: string }>("GET", "/api/session");
    expect(back.status, back.text).toBe(200);
    expect(back.body.userId).toBe(user.userId);
  });
});
