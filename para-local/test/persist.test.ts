import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../log.js";
import { newJwtKey } from "../jwt-keys.js";
import { persistStore } from "../persist.js";
import { LOCAL_PARTNER, OTHER_PARTNER } from "../server.js";
import { Store } from "../state.js";

const log = createLogger({ quiet: true });
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "para-local-persist-"));
  file = path.join(dir, "para-local.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("persistStore (npm run dev keeps para-local's state across restarts)", () => {
  it("a restarted para-local has the users, sessions, wallets and JWT keys of the last one", async () => {
    const before = new Store(LOCAL_PARTNER);
    const persistence = persistStore(before, file, log);
    before.jwtKeys = [await newJwtKey(before.now())];
    const user = before.createUser("email", "keep@example.com");
    const session = before.createSession(LOCAL_PARTNER.id, user.id);
    session.authenticated = true;
    const wallet = before.createWallet({ type: "EVM", scheme: "DKLS", userId: user.id });
    persistence.scheduleSave();
    persistence.flush();

    const after = new Store(LOCAL_PARTNER);
    persistStore(after, file, log);
    expect(after.users.get(user.id)).toEqual(user);
    expect(after.findSession(session.cookie)).toMatchObject({ userId: user.id, authenticated: true, lookupId: session.lookupId });
    expect(after.wallets.get(wallet.id)).toEqual(wallet);
    // Tokens issued before the restart still verify after it.
    expect(after.jwtKeys).toEqual(before.jwtKeys);
  });

  it("writes nothing until something changed, and never a half-written file", () => {
    const store = new Store(LOCAL_PARTNER);
    const persistence = persistStore(store, file, log);
    persistence.flush();
    expect(() => readFileSync(file)).toThrow();
    store.createUser("phone", "+14155550100");
    persistence.scheduleSave();
    persistence.flush();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });
  });

  it("starts empty, without throwing, from a file it cannot read", () => {
    writeFileSync(file, "{ not json");
    const store = new Store(LOCAL_PARTNER);
    expect(() => persistStore(store, file, log)).not.toThrow();
    expect(store.users.size).toBe(0);
  });

  it("a file from before the second partner loads: its sessions are the main partner's", () => {
    const before = new Store([LOCAL_PARTNER, OTHER_PARTNER]);
    const persistence = persistStore(before, file, log);
    const session = before.createSession(LOCAL_PARTNER.id);
    persistence.scheduleSave();
    persistence.flush();
    // What an older para-local wrote: the same sessions, without partnerId.
    const snapshot = JSON.parse(readFileSync(file, "utf8")) as { sessions: [string, Record<string, unknown>][] };
    for (const [, stored] of snapshot.sessions) delete stored.partnerId;
    writeFileSync(file, JSON.stringify(snapshot));

    const after = new Store([LOCAL_PARTNER, OTHER_PARTNER]);
    persistStore(after, file, log);
    expect(after.findSession(session.cookie)?.partnerId).toBe(LOCAL_PARTNER.id);
  });

  it("keeps the session length it was started with, not the one in the file", () => {
    const before = new Store(LOCAL_PARTNER, { sessionLengthMs: 2 * 60 * 60 * 1000 });
    const persistence = persistStore(before, file, log);
    before.createUser("email", "length@example.com");
    persistence.scheduleSave();
    persistence.flush();

    const after = new Store(LOCAL_PARTNER, { sessionLengthMs: 6 * 60 * 1000 });
    persistStore(after, file, log);
    expect(after.users.size).toBe(1);
    expect(after.sessionLengthMs).toBe(6 * 60 * 1000);
  });
});
