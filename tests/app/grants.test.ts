import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { dehydrateWorkflowArguments } from "@workflow/core/serialization";
import { type Address, createPublicClient, type Hex, http, verifyMessage } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalChain, startLocalChain } from "../../local-chain/start";
import {
  importedParaServer,
  type MintedSession,
  mintSession,
  quietSdkLogs,
  resetParaLocal,
  setSessionLength,
  walletOf,
} from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type AppResponse, type ErrorBody, withoutSigners } from "./client";
import { instancesForThisFile } from "./own-app";

// Acting for users while they are away: a grant keeps one session alive at Para past its length and
// no further, scheduled actions run with no browser (and across a restart of the app), exactly once.
// Real time throughout: para-local's sessions last a minute, the engine's sleeps are real sleeps.

quietSdkLogs();
paraLocalForThisFile();

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let chain: LocalChain;
beforeAll(async () => {
  chain = await startLocalChain({ rpcPort: 18548, bundlerPort: 14340 });
}, 120_000);
afterAll(async () => {
  await resetParaLocal();
  await chain?.stop();
});

const app = instancesForThisFile([3116] as const, () => chain.env);
class GrantsClient extends AppClient {
  override readonly baseUrl = app.url(0);
}

interface Action {
  id: string;
  status: string;
  at: string;
  error?: { code: string };
  finishedAt?: string;
  result?: { address: string; message?: string; signature?: string; broadcast?: { status: string; transactionId?: string } };
}

const iso = (ms: number) => new Date(ms).toISOString();

async function signedIn(user: MintedSession): Promise<GrantsClient> {
  return signedInWith(user.session);
}

async function signedInWith(session: string): Promise<GrantsClient> {
  const client = new GrantsClient();
  const imported = await client.request("POST", "/api/session", { json: { session } });
  expect(imported.status, imported.text).toBe(200);
  return client;
}

async function grant(client: GrantsClient, until: number) {
  const granted = await client.request<{ grant: { until: string } }>("PUT", "/api/session/grant", { json: { until: iso(until) } });
  expect(granted.status, granted.text).toBe(200);
  return granted.body.grant;
}

async function schedule(client: GrantsClient, body: Record<string, unknown>): Promise<Action> {
  const scheduled = await client.request<Action>("POST", "/api/actions", { json: body });
  expect(scheduled.status, scheduled.text).toBe(201);
  expect(scheduled.body.status).toBe("scheduled");
  return scheduled.body;
}

async function actions(client: GrantsClient): Promise<Action[]> {
  const listed = await client.request<{ actions: Action[] }>("GET", "/api/actions");
  expect(listed.status, listed.text).toBe(200);
  return listed.body.actions;
}

/** Para's own answer for the user's session (a new ParaServer, as the guide checks one). */
async function aliveAtPara(user: MintedSession): Promise<boolean> {
  return (await importedParaServer(user)).isSessionActive();
}

/** Polls `check` until it answers true, or fails after `withinMs`. */
async function eventually(check: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs / SECOND} s`);
    await sleep(2 * SECOND);
  }
}

/** Waits until the wall clock reaches `time` (what the test is about: time passing with no browser). */
async function until(time: number): Promise<void> {
  if (time > Date.now()) await sleep(time - Date.now());
}

/**
 * A run of `workflowName` started by anyone who can reach the engine's public route, with
 * arguments of their choosing (no cookie, no secret), then resumed past its sleep.
 */
async function runFromOutside(workflowName: string, args: unknown[]): Promise<void> {
  const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const ulid = () => `01${Array.from(randomBytes(24), (byte) => crockford[byte % 32]).join("")}`;
  const runId = `wrun_${ulid()}`;
  const input = await dehydrateWorkflowArguments(args, runId, undefined, [], globalThis, false, true);
  const asJson = (_key: string, value: unknown) =>
    value instanceof Uint8Array ? { __type: "Uint8Array", data: Buffer.from(value).toString("base64") } : value;
  for (const body of [
    { runId, runInput: { input, deploymentId: "dpl_local@4.8.9", workflowName, specVersion: 3, executionContext: {} } },
    { runId },
  ]) {
    const response = await fetch(`${app.url(0)}/.well-known/workflow/v1/flow`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-vqs-queue-name": `__wkf_workflow_${workflowName}`,
        "x-vqs-message-id": `msg_${ulid()}`,
        "x-vqs-message-attempt": "1",
      },
      body: JSON.stringify(body, asJson),
    });
    expect(response.status, await response.text()).toBe(200);
  }
}

function expectError(response: AppResponse, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect((response.body as ErrorBody).error.code).toBe(code);
}

describe("grants and scheduled actions", () => {
  beforeAll(async () => {
    await setSessionLength(1 * MINUTE);
    await app.start(0, {});
  }, 180_000);

  it("bad input is answered with its code, and nothing is scheduled without a grant that covers `at`", async () => {
    const client = await signedIn(await mintSession());
    expectError(await client.request("PUT", "/api/session/grant", { json: { until: "tomorrow" } }), 400, "bad_request");
    expectError(await client.request("PUT", "/api/session/grant", { json: { until: iso(Date.now() - MINUTE) } }), 400, "bad_request");
    expectError(
      await client.request("PUT", "/api/session/grant", { json: { until: iso(Date.now() + 31 * 24 * 60 * MINUTE) } }),
      400,
      "bad_request",
    );
    const at = iso(Date.now() + 2 * MINUTE);
    expectError(
      await client.request("POST", "/api/actions", { json: { at, library: "viem", kind: "transaction" } }),
      409,
      "grant_required",
    );
    await grant(client, Date.now() + MINUTE);
    expectError(
      await client.request("POST", "/api/actions", { json: { at, library: "viem", kind: "transaction" } }),
      409,
      "grant_required",
    );
    expectError(
      await client.request("POST", "/api/actions", { json: { at, library: "bitcoin", kind: "message", message: "hi" } }),
      400,
      "bad_request",
    );
    expectError(await client.request("POST", "/api/actions", { json: { at, library: "viem", kind: "message" } }), 400, "bad_request");
    expectError(await client.request("POST", "/api/actions", { json: { at, library: "viem", kind: "wire" } }), 400, "bad_request");
    for (const message of ["nul \u0000", "half \ud800 a pair", "x".repeat(281)]) {
      expectError(
        await client.request("POST", "/api/actions", { json: { at, library: "viem", kind: "message", message } }),
        400,
        "bad_request",
      );
    }
    expectError(await client.request("DELETE", "/api/actions/%00"), 404, "not_found");
    expectError(await client.request("DELETE", "/api/actions/act_AAAAAAAAAAAAAAAA"), 404, "not_found");
    expect(await actions(client)).toEqual([]);
    // A session sent without signers cannot sign later either.
    const signerless = await signedInWith(withoutSigners((await mintSession()).session));
    await grant(signerless, Date.now() + 5 * MINUTE);
    expectError(
      await signerless.request("POST", "/api/actions", { json: { at, library: "viem", kind: "transaction" } }),
      409,
      "signers_required",
    );
    expectError(
      await new GrantsClient().request("POST", "/api/actions", { json: { at, library: "viem", kind: "transaction" } }),
      401,
      "unauthorized",
    );
    expectError(await new GrantsClient().request("PUT", "/api/session/grant", { json: { until: at } }), 401, "unauthorized");
  });

  it(
    "keeps a granted session alive past Para's length until the grant ends, runs actions once across a restart, and leaves the rest alone",
    async () => {
      const started = Date.now();
      const [granted, ungranted, signer, leaver] = await Promise.all([mintSession(), mintSession(), mintSession(), mintSession()]);
      const grantedClient = await signedIn(granted);
      const grantUntil = started + 3 * MINUTE;
      await grant(grantedClient, grantUntil);
      expect((await grantedClient.request<{ grant?: { until: string } }>("GET", "/api/session")).body.grant).toEqual({
        until: iso(grantUntil),
      });
      await signedIn(ungranted);

      // One action signs and broadcasts a transaction a minute from now; another is cancelled first.
      const signerClient = await signedIn(signer);
      await grant(signerClient, started + 4 * MINUTE);
      const evm = walletOf(signer, "EVM").address as Address;
      const rpc = createPublicClient({ chain: hardhat, transport: http(chain.rpcUrl) });
      const nonceBefore = await rpc.getTransactionCount({ address: evm });
      const sent = await schedule(signerClient, { at: iso(started + MINUTE), library: "viem", kind: "transaction" });
      // The engine's route is public: a run started from outside with the action's id and a time long past signs nothing.
      await runFromOutside("workflow//./lib/workflows/scheduled-action//runScheduledAction", [sent.id, "2000-01-01T00:00:00.000Z"]);
      // One Idempotency-Key, two requests: one action.
      const noteBody = { at: iso(started + MINUTE), library: "ethers", kind: "message", message: "rent, December" };
      const headers = { "idempotency-key": `note-${started}`, "content-type": "application/json" };
      const note = await signerClient.request<Action>("POST", "/api/actions", { json: noteBody, headers });
      const repeat = await signerClient.request<Action>("POST", "/api/actions", { json: noteBody, headers });
      expect([note.status, repeat.status]).toEqual([201, 201]);
      expect(repeat.headers.get("idempotent-replayed")).toBe("true");
      expect(repeat.body.id).toBe(note.body.id);
      const cancelled = await schedule(signerClient, { at: iso(started + MINUTE), library: "ethers", kind: "message", message: "never" });
      const cancel = await signerClient.request<Action>("DELETE", `/api/actions/${cancelled.id}`);
      expect(cancel.status, cancel.text).toBe(200);
      expect(cancel.body.status).toBe("cancelled");
      expectError(await signerClient.request("DELETE", `/api/actions/${cancelled.id}`), 409, "action_started");
      expectError(await new GrantsClient().request("DELETE", `/api/actions/${sent.id}`), 401, "unauthorized");

      // Granting again carries what was scheduled over to the new grant.
      await grant(signerClient, started + 4.5 * MINUTE);

      // Logout ends the grant, and what it would have run fails.
      const leaverClient = await signedIn(leaver);
      await grant(leaverClient, started + 4 * MINUTE);
      const orphan = await schedule(leaverClient, { at: iso(started + 2 * MINUTE), library: "solana", kind: "message", message: "bye" });
      expect((await leaverClient.request("DELETE", "/api/session")).status).toBe(200);
      const leaverAgain = await signedIn(leaver);
      expect(await actions(leaverAgain)).toEqual([
        expect.objectContaining({ id: orphan.id, status: "failed", error: { code: "grant_revoked" } }),
      ]);

      // The browsers go; the app restarts while every run sleeps.
      await app.start(0, {});

      await eventually(
        async () => (await actions(signerClient)).find((action) => action.id === sent.id)?.status === "done",
        2 * MINUTE,
        "the scheduled transaction",
      );
      const [done] = (await actions(signerClient)).filter((action) => action.id === sent.id);
      expect(done!.result?.broadcast?.status).toBe("included");
      expect(Date.parse(done!.finishedAt!), "signed at `at`, by its own run").toBeGreaterThanOrEqual(Date.parse(sent.at));
      expect(await rpc.getTransactionCount({ address: evm })).toBe(nonceBefore + 1);
      expect((await actions(signerClient)).find((action) => action.id === cancelled.id)?.status).toBe("cancelled");
      // The note, inside the server's own text, signed by the user's wallet.
      await eventually(
        async () => (await actions(signerClient)).find((action) => action.id === note.body.id)?.status === "done",
        MINUTE,
        "the note",
      );
      const signedNote = (await actions(signerClient)).find((action) => action.id === note.body.id)!.result!;
      expect(signedNote.message).toMatch(
        new RegExp(`^Para server-side signing demo, scheduled action ${note.body.id} .*Note: rent, December$`),
      );
      expect(await verifyMessage({ address: evm, message: signedNote.message!, signature: signedNote.signature as Hex })).toBe(true);
      expect((await actions(signerClient)).filter((action) => action.status !== "cancelled")).toHaveLength(2);

      await until(started + 2.5 * MINUTE);
      expect(await aliveAtPara(granted), "the granted session, 2½ minutes into a 1-minute session").toBe(true);
      expect(await aliveAtPara(ungranted), "a session with no grant").toBe(false);
      expect(await aliveAtPara(leaver), "a session whose grant ended at logout").toBe(false);

      // Once the grant ends, nothing keeps the session alive: it ends on Para's clock.
      await until(grantUntil);
      await eventually(async () => !(await aliveAtPara(granted)), 2 * MINUTE, "the granted session ends after its grant");
      expect((await grantedClient.request<{ grant?: unknown }>("GET", "/api/session")).status).toBe(401);
      // The transaction was sent once, however many times its run was resumed.
      expect(await rpc.getTransactionCount({ address: evm })).toBe(nonceBefore + 1);
    },
    8 * MINUTE,
  );
});
