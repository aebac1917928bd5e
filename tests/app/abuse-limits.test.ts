import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type ErrorBody, randomAddress } from "./client";

// Who can make the app call Para: a client whose sessions Para keeps refusing is stopped before
// the app asks again (per address, as Vercel forwards it); users signing in properly are not; a user
// cannot make the server sign without bound (Para's own 429: tests/app/session-life.test.ts).

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

/** The app's limit on refused sign-ins per address (lib/http/rate-limit.ts). */
const REFUSALS_ALLOWED = 20;

const encode = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64");

/** A well-formed exported session with an invented Para cookie: Para knows no such session. */
const invented = () =>
  encode({
    userId: randomUUID(),
    wallets: { w1: { id: "w1", type: "EVM", signer: "x" } },
    currentWalletIds: { EVM: ["w1"] },
    sessionCookie: `capsule.sid=s%3A${randomBytes(24).toString("base64url")}`,
    externalWallets: {},
  });

const apiRequests = () => paraLocal.current!.store.apiRequests;
/** The API requests para-local answered since `mark` (an `apiRequests()` count). */
const requestsSince = (mark: number) => paraLocal.current!.store.requestLog.slice(-(apiRequests() - mark) || Infinity);

function expectError(response: { status: number; body: unknown; text: string }, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect((response.body as ErrorBody).error.code).toBe(code);
}

const importAs = (address: string, session: string) => new AppClient(address).request("POST", "/api/session", { json: { session } });

/** A refused import costs Para what the guide's calls do: a new ParaServer's own 5, then isSessionActive()'s /touch. */
const CALLS_PER_REFUSED_IMPORT = 6;

describe("refused sign-ins, per client address", () => {
  it("a burst of invented sessions from one address is stopped at the limit with 429 and Retry-After; Para is asked until then only", async () => {
    const address = randomAddress();
    const before = apiRequests();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof importAs>> | undefined;
    for (let i = 0; i < REFUSALS_ALLOWED + 10; i++) {
      const response = await importAs(address, invented());
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(
      statuses.slice(0, REFUSALS_ALLOWED).every((status) => status === 401),
      statuses.join(","),
    ).toBe(true);
    expect(
      statuses.slice(REFUSALS_ALLOWED).every((status) => status === 429),
      statuses.join(","),
    ).toBe(true);
    expectError(limited!, 429, "rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    // The guide's calls per refused import (the second "no" is asked only of sessions the server
    // holds), plus at most one for the app to learn its partner id; none once limited.
    expect(apiRequests() - before).toBeLessThanOrEqual(REFUSALS_ALLOWED * CALLS_PER_REFUSED_IMPORT + 1);

    // A real session from that address is limited too; from another address it is not.
    const user = await mintSession({ email: `limited-${randomUUID().slice(0, 8)}@example.com` });
    expectError(await importAs(address, user.session), 429, "rate_limited");
    expect((await importAs(randomAddress(), user.session)).status).toBe(200);
    // The limit covers verification tokens from that address too.
    expectError(
      await new AppClient(address).request("POST", "/api/session/verify", { json: { verificationToken: randomUUID() } }),
      429,
      "rate_limited",
    );
  });

  it("a parallel burst reaches Para with one import's calls per request at most, and the address is limited after it", async () => {
    const address = randomAddress();
    const burst = REFUSALS_ALLOWED + 15;
    const before = apiRequests();
    const responses = await Promise.all(Array.from({ length: burst }, () => importAs(address, invented())));
    expect(responses.every((response) => response.status === 401 || response.status === 429)).toBe(true);
    expect(apiRequests() - before).toBeLessThanOrEqual(burst * CALLS_PER_REFUSED_IMPORT + 1);
    expectError(await importAs(address, invented()), 429, "rate_limited");
  });

  it("many users signing in properly from one address (an office, a NAT), 30 at once, are never limited", async () => {
    const address = randomAddress();
    const users = await Promise.all(
      Array.from({ length: REFUSALS_ALLOWED + 10 }, (_, i) => mintSession({ email: `office${i}-${randomUUID().slice(0, 6)}@example.com` })),
    );
    const answers = await Promise.all(users.map((user) => importAs(address, user.session)));
    expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 200));
  });

  it("refused JWTs count against the address too", async () => {
    const address = randomAddress();
    const statuses: number[] = [];
    for (let i = 0; i < REFUSALS_ALLOWED + 2; i++) {
      const forged = `${Buffer.from(JSON.stringify({ alg: "RS256", kid: `k-${i}` })).toString("base64url")}.e30.c2ln`;
      statuses.push((await new AppClient(address).request("POST", "/api/session/jwt", { json: { token: forged } })).status);
    }
    expect(
      statuses.slice(0, REFUSALS_ALLOWED).every((status) => status === 401),
      statuses.join(","),
    ).toBe(true);
    expect(statuses.slice(REFUSALS_ALLOWED)).toEqual([429, 429]);
  });
});

describe("signing, per user", () => {
  it("past 30 signatures a minute the user's next is 429 rate_limited with Retry-After, before anything is signed", async () => {
    const user = await mintSession({ email: `signer-${randomUUID().slice(0, 8)}@example.com` });
    const client = new AppClient();
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    for (let i = 0; i < 30; i++) {
      const signed = await client.request("POST", "/api/examples/viem/session");
      expect(signed.status, signed.text).toBe(200);
    }
    const mark = apiRequests();
    const limited = await client.request("POST", "/api/examples/viem/session");
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Para was asked whether the session is live, and nothing was sent to sign.
    expect(requestsSince(mark).map((entry) => entry.path)).toEqual(["/touch"]);
  });
});
