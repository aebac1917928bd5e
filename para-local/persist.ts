import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "./log.js";
import type { Store } from "./state.js";

const VERSION = 1;

/** The parts of the Store worth keeping across restarts (not the test clock), JWT signing keys included. */
type Snapshot = {
  version: number;
  /** Written for reference; not restored, as the length para-local starts with is the setting. */
  sessionLengthMs: number;
  users: [string, unknown][];
  sessions: [string, unknown][];
  wallets: [string, unknown][];
  passwords: [string, unknown][];
  keyShares: unknown[];
  temporaryShares: [string, unknown][];
  recoveryPublicKeys: [string, unknown][];
  /** Absent in files written before para-local kept its JWT keys. */
  jwtKeys?: unknown[];
};

/**
 * Keeps para-local's state in a file, so `npm run dev` can restart without signing everyone
 * out: loaded once at start, written (atomically, debounced) after requests that change
 * state. Local use only; the tests run in memory.
 */
export function persistStore(store: Store, file: string, log: Logger): { scheduleSave(): void; flush(): void } {
  load(store, file, log);
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    save(store, file);
  };
  return {
    scheduleSave() {
      if (!timer) timer = setTimeout(flush, 200);
    },
    flush() {
      if (timer) flush();
    },
  };
}

function load(store: Store, file: string, log: Logger): void {
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") log.error(`could not read ${file}; starting empty`, error);
    return;
  }
  if (snapshot.version !== VERSION) {
    log.info(`${file} is from another para-local version; starting empty`);
    return;
  }
  const restore = <V>(map: Map<string, V>, entries: [string, unknown][]) => {
    map.clear();
    for (const [key, value] of entries) map.set(key, value as V);
  };
  restore(store.users, snapshot.users);
  restore(store.sessions, snapshot.sessions);
  // Files from before the second partner have sessions without one: they were all the main partner's.
  for (const session of store.sessions.values()) session.partnerId ??= store.partner.id;
  restore(store.wallets, snapshot.wallets);
  restore(store.passwords, snapshot.passwords);
  restore(store.temporaryShares, snapshot.temporaryShares);
  restore(store.recoveryPublicKeys, snapshot.recoveryPublicKeys);
  store.keyShares = snapshot.keyShares as Store["keyShares"];
  if (snapshot.jwtKeys?.length) store.jwtKeys = snapshot.jwtKeys as Store["jwtKeys"];
  log.info(`restored ${store.users.size} users and ${store.sessions.size} sessions from ${file}`);
}

function save(store: Store, file: string): void {
  const snapshot: Snapshot = {
    version: VERSION,
    sessionLengthMs: store.sessionLengthMs,
    users: [...store.users],
    sessions: [...store.sessions],
    wallets: [...store.wallets],
    passwords: [...store.passwords],
    keyShares: store.keyShares,
    temporaryShares: [...store.temporaryShares],
    recoveryPublicKeys: [...store.recoveryPublicKeys],
    jwtKeys: store.jwtKeys,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}
