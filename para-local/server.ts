import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { createApi } from "./api/app.js";
import { newJwtKey } from "./jwt-keys.js";
import { createLogger, type Logger } from "./log.js";
import { persistStore } from "./persist.js";
import { createPortal } from "./portal/app.js";
import { checkSessionLength } from "./session-length.js";
import { type Partner, Store } from "./state.js";

/** Ports the SDK hard-codes for `Environment.DEV`: they cannot be moved. */
export const API_PORT = 8080;
export const PORTAL_PORT = 3003;

const WALLET_TYPES: Partner["supportedWalletTypes"] = [
  { type: "EVM", optional: false },
  { type: "SOLANA", optional: false },
  { type: "COSMOS", optional: false },
];

/** The app's partner. Its key has no `_`, so the SDK keeps `Environment.DEV`. */
export const LOCAL_PARTNER: Partner = {
  id: "6f1c3c2e-0b5e-4c8e-9a51-7a1d3e0c9b42",
  apiKey: "para-local-key",
  secretKey: "para-local-secret",
  displayName: "Para Server Sessions (para-local)",
  supportedWalletTypes: WALLET_TYPES,
  cosmosPrefix: "cosmos",
};

/**
 * Another app on the same Para: its sessions and JWTs name its own partner id, which is how
 * the app tells a session or token of another app from its own.
 */
export const OTHER_PARTNER: Partner = {
  id: "0d8b7a54-3f2e-4c19-8e6a-5b4c3d2e1f07",
  apiKey: "para-local-other-key",
  secretKey: "para-local-other-secret",
  displayName: "Another app (para-local)",
  supportedWalletTypes: WALLET_TYPES,
  cosmosPrefix: "cosmos",
};

export interface ParaLocalOptions {
  /** Answer the `/test/*` controls (expire, clock, reset, mint). Never on by default. */
  testMode?: boolean;
  quiet?: boolean;
  log?: Logger;
  /** Keep state in this file across restarts (`npm run dev`); in memory only when unset. */
  dataFile?: string;
  /** Length of sessions, 1 minute to 30 days (Para's portal setting); 30 minutes by default. */
  sessionLengthMs?: number;
  /** How long every API answer waits, 0 to 60,000 ms, as Para's network round trip would; 0 by default. */
  latencyMs?: number;
}

export interface ParaLocal {
  store: Store;
  apiUrl: string;
  portalUrl: string;
  /** The API's latency (`latencyMs`), read on every request: whoever holds it may change it (the benchmark does). */
  latency: { ms: number };
  close(): Promise<void>;
}

const MAX_LATENCY_MS = 60_000;

/** `--latency` and PARA_LOCAL_LATENCY_MS: a whole number of milliseconds, 0 to a minute. */
export function parseLatency(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`latency "${text}" is not a whole number of milliseconds`);
  return checkLatency(Number(text));
}

function checkLatency(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_LATENCY_MS) throw new RangeError(`latency ${ms} ms is outside 0 to ${MAX_LATENCY_MS} ms`);
  return ms;
}

/** Starts the API on :8080 and the portal on :3003 (both on loopback, IPv4 and IPv6). */
export async function startParaLocal(options: ParaLocalOptions = {}): Promise<ParaLocal> {
  const log = options.log ?? createLogger({ quiet: options.quiet });
  const testMode = options.testMode ?? false;
  const sessionLengthMs = options.sessionLengthMs === undefined ? undefined : checkSessionLength(options.sessionLengthMs);
  const latency = { ms: checkLatency(options.latencyMs ?? 0) };
  const store = new Store([LOCAL_PARTNER, OTHER_PARTNER], { sessionLengthMs });
  const persistence = options.dataFile ? persistStore(store, options.dataFile, log) : undefined;
  if (store.jwtKeys.length === 0) store.jwtKeys = [await newJwtKey(store.now())];
  const afterWrite = persistence?.scheduleSave;
  const servers = [
    ...(await listen(createApi(store, { testMode, log, afterWrite, latency }), API_PORT, "API")),
    ...(await listen(createPortal({ log, store, afterWrite }), PORTAL_PORT, "portal")),
  ];
  return {
    store,
    apiUrl: `http://localhost:${API_PORT}`,
    portalUrl: `http://localhost:${PORTAL_PORT}`,
    latency,
    async close() {
      persistence?.flush();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** The SDK calls `localhost`, which may resolve to either family: answer on both. */
async function listen(app: { fetch: Hono["fetch"] }, port: number, name: string): Promise<Server[]> {
  const servers: Server[] = [];
  for (const host of ["127.0.0.1", "::1"]) {
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (host === "::1" && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue;
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      if (code === "EADDRINUSE") {
        throw new Error(
          `para-local: port ${port} on ${host} is already in use. The Para SDK's DEV environment hard-codes the ${name} at localhost:${port}, so para-local must own it: stop whatever holds it (\`ss -ltnp 'sport = :${port}'\`) or run in a private network namespace.`,
        );
      }
      throw error;
    }
  }
  return servers;
}
