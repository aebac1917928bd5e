import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { type AppResponse, SESSION_COOKIE } from "./client";
import { ownAppForThisFile, postgresForThisFile } from "./own-app";

// Two imports of one Para session at once from one browser leave one row, and the browser may keep
// the cookie of the import whose row was deleted: logout still ends every row of the session.

quietSdkLogs();
paraLocalForThisFile();
const postgres = postgresForThisFile();

let databaseUrl: string;
const SESSION_SECRET = randomBytes(32).toString("base64");
const { Client: RaceClient } = ownAppForThisFile(
  3115,
  async () => ({
    DATABASE_URL: (databaseUrl = await postgres.database("app_logout_race")),
    SESSION_SECRET,
    DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  }),
  { skip: !postgres.available },
);

const ROUNDS = 20;

/** Every row of `para_sessions`: its id and Para session id. */
async function rows(): Promise<{ id: string; para_session_id: string | null }[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ id: string; para_session_id: string | null }>("select id, para_session_id from para_sessions")).rows;
  } finally {
    await client.end();
  }
}

/** What a session cookie holds (the test knows the app's SESSION_SECRET). */
const opened = (cookie: string) => unsealData<{ sid?: string; paraSessionId?: string }>(cookie, { password: { 1: SESSION_SECRET } });

function cookieOf(response: AppResponse): string {
  const line = response.headers.getSetCookie().find((setCookie) => setCookie.startsWith(`${SESSION_COOKIE}=`));
  expect(line, response.text).toBeDefined();
  return line!.slice(SESSION_COOKIE.length + 1).split(";")[0]!;
}

/** A signed-in user's exported session, imported twice at once from one cookie jar: the jar, and each answer's cookie. */
async function importTwiceAtOnce() {
  const user = await mintSession();
  const browser = new RaceClient();
  const answers = await Promise.all([0, 1].map(() => browser.request("POST", "/api/session", { json: { session: user.session } })));
  for (const answer of answers) expect(answer.status, answer.text).toBe(200);
  const stored = await rows();
  expect(stored).toHaveLength(1);
  return { browser, cookies: answers.map(cookieOf), row: stored[0]! };
}

describe.skipIf(!postgres.available)("logout after two imports of one session at once", () => {
  it(`leaves no row, ${ROUNDS} times, with the cookie the jar kept (the last to arrive)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { browser } = await importTwiceAtOnce();
      expect((await browser.request("DELETE", "/api/session")).status).toBe(200);
      expect(await rows(), `round ${round}`).toEqual([]);
    }
  });

  it(`leaves no row, ${ROUNDS} times, with the cookie whose row the other import deleted`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { browser, cookies, row } = await importTwiceAtOnce();
      const sids = await Promise.all(cookies.map(async (cookie) => (await opened(cookie)).sid));
      expect(sids).toContain(row.id);
      const stale = cookies[sids.indexOf(row.id) === 0 ? 1 : 0]!;
      expect((await opened(stale)).sid).not.toBe(row.id);
      browser.cookies.set(SESSION_COOKIE, stale);
      expect((await browser.request("GET", "/api/session")).status).toBe(401); // it names no row
      expect((await browser.request("DELETE", "/api/session")).status).toBe(200);
      expect(await rows(), `round ${round}`).toEqual([]);
    }
  });

  it("a cookie sealed before it carried Para's session id still ends its session's row", async () => {
    const browser = new RaceClient();
    expect((await browser.request("POST", "/api/session", { json: { session: (await mintSession()).session } })).status).toBe(200);
    const { paraSessionId, ...older } = await opened(browser.cookies.get(SESSION_COOKIE)!);
    expect(paraSessionId).toBe((await rows())[0]!.para_session_id);
    browser.cookies.set(SESSION_COOKIE, await sealData(older, { password: { 1: SESSION_SECRET } }));
    expect((await browser.request("GET", "/api/session")).status).toBe(200);
    expect((await browser.request("DELETE", "/api/session")).status).toBe(200);
    expect(await rows()).toEqual([]);
  });
});
