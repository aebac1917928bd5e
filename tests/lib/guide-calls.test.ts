import { Para as ParaServer } from "@getpara/server-sdk";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { resetConfigCache } from "../../lib/config";
import { checkCurrentSession, keepCurrentSessionAlive, startImportedSession } from "../../lib/session/service";
import { mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

// The steps of Para's server-sessions guide run where the guide puts them: the SDK's own methods
// are spied on (never the app's code), and para-local counts the calls that reach it.

// Next's request cookies, outside a request: an in-memory jar with the calls iron-session makes.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    has: (name: string) => jar.has(name),
    set: (name: string | { name: string; value: string }, value?: string) => {
      const cookie = typeof name === "string" ? { name, value: value ?? "" } : name;
      if (cookie.value === "") jar.delete(cookie.name);
      else jar.set(cookie.name, cookie.value);
    },
  }),
  headers: async () => new Headers(),
}));

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
embeddedDatabaseForThisFile("para-guide-calls-", { DATA_ENCRYPTION_KEY: `1=${randomKey()}`, SESSION_SECRET: `1=${randomKey()}` });
beforeAll(() => resetConfigCache());
afterEach(() => vi.restoreAllMocks());

const GUIDE_CALLS = ["importSession", "isSessionActive", "keepSessionAlive", "issueJwt"] as const;

/**
 * Spies on the SDK's methods and lists the ones called after `importSession()` resolved (the SDK's
 * constructor runs isSessionActive() itself while an instance starts, before the import is done).
 */
function spyOnSdk() {
  const afterImport: string[] = [];
  let imported = false;
  const spies = Object.fromEntries(
    GUIDE_CALLS.map((name) => {
      const original = ParaServer.prototype[name] as (...args: unknown[]) => Promise<unknown>;
      const spy = vi.spyOn(ParaServer.prototype, name).mockImplementation(async function (this: ParaServer, ...args: unknown[]) {
        if (imported) afterImport.push(name);
        const result = await original.apply(this, args);
        if (name === "importSession") imported = true;
        return result as never;
      });
      return [name, spy];
    }),
  ) as Record<(typeof GUIDE_CALLS)[number], ReturnType<typeof vi.spyOn>>;
  return { ...spies, afterImport };
}

/** The requests para-local answers while `run` runs, as `METHOD /path` (ids as `:id`). */
async function paraCallsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const store = paraLocal.current!.store;
  const before = store.apiRequests;
  await run();
  return store.requestLog
    .slice(-(store.apiRequests - before) || Infinity)
    .map(({ method, path }) => `${method} ${path.replace(/[0-9a-f-]{36}/g, ":id")}`);
}

describe("Para's guide, step by step", () => {
  it("POST /api/session: a new ParaServer → importSession → isSessionActive → issueJwt (7 calls at Para)", async () => {
    jar.clear();
    // Once per process, not per request: this app's partner id (an anonymous /touch) and Para's JWKS.
    await startImportedSession((await mintSession()).session);
    const minted = await mintSession();
    const sdk = spyOnSdk();
    let view: Awaited<ReturnType<typeof startImportedSession>> | undefined;
    const calls = await paraCallsDuring(async () => (view = await startImportedSession(minted.session)));

    expect(view).toMatchObject({ userId: minted.userId, path: "import", checkedBy: "para" });
    expect(sdk.importSession).toHaveBeenCalledTimes(1);
    expect(sdk.importSession).toHaveBeenCalledWith(minted.session);
    expect(sdk.afterImport).toEqual(["isSessionActive", "issueJwt"]);
    // The constructor's five (an anonymous session checked and logged out), isSessionActive's /touch, issueJwt.
    expect(calls).toEqual([
      "POST /touch",
      "GET /partners/:id",
      "POST /touch",
      "POST /touch",
      "GET /logout",
      "POST /touch",
      "POST /auth/jwt",
    ]);
  });

  it("POST /api/session/keep-alive: importSession → keepSessionAlive → issueJwt for the new end", async () => {
    jar.clear();
    await startImportedSession((await mintSession()).session);
    const sdk = spyOnSdk();
    const calls = await paraCallsDuring(() => keepCurrentSessionAlive());

    expect(sdk.importSession).toHaveBeenCalledTimes(1);
    // keepSessionAlive() answered true: nothing to confirm with isSessionActive().
    expect(sdk.afterImport).toEqual(["keepSessionAlive", "issueJwt"]);
    expect(calls.slice(-2)).toEqual(["POST /users/:id/session/keep-alive", "POST /auth/jwt"]);
  });

  it("GET /api/session on a held session: the one-call re-check, no ParaServer (1 call at Para)", async () => {
    jar.clear();
    await startImportedSession((await mintSession()).session);
    const sdk = spyOnSdk();
    const calls = await paraCallsDuring(() => checkCurrentSession());

    expect(sdk.importSession).not.toHaveBeenCalled();
    expect(sdk.isSessionActive).not.toHaveBeenCalled();
    expect(sdk.keepSessionAlive).not.toHaveBeenCalled();
    expect(calls).toEqual(["POST /touch"]);
  });
});
