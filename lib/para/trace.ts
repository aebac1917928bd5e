import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";
import { getConfig } from "../config";
import { PARA_API_BASE } from "./environments";

/** One request the server made to Para's API while answering a request of its own. */
export interface ParaCall {
  method: string;
  /** The path only: query strings can carry identifiers. */
  path: string;
  status: number | null;
  ms: number;
}

/** The response header that lists them, as JSON. */
export const PARA_CALLS_HEADER = "x-para-calls";

const current = new AsyncLocalStorage<ParaCall[]>();
const pending = new WeakMap<object, { calls: ParaCall[]; method: string; path: string; started: number }>();
let subscribed = false;

/**
 * Runs `handler` and lists the calls it makes to Para's API — through the SDK's axios client
 * (Node's `http`) or `fetch` (undici) — as Node's diagnostics channels report them, so nothing in
 * the SDK is patched. `calls` fills in as they finish, whether or not `run` then succeeds. Only
 * when tracing is on (para-local, or PARA_TRACE=1); otherwise `calls` is undefined.
 */
export function traceParaCalls<T>(handler: () => Promise<T>): { run: Promise<T>; calls?: ParaCall[] } {
  if (!getConfig().para.trace) return { run: handler() };
  subscribeOnce();
  const calls: ParaCall[] = [];
  return { run: current.run(calls, handler), calls };
}

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  // host[:port], as requests name it: "localhost:8080", "api.getpara.com".
  const paraHost = new URL(PARA_API_BASE[getConfig().para.environment]).host;
  const start = (key: object, host: unknown, method: string, path: string) => {
    const calls = current.getStore();
    if (calls && host === paraHost) pending.set(key, { calls, method, path: path.split("?")[0]!, started: performance.now() });
  };
  const finish = (key: object, status: number | null) => {
    const entry = pending.get(key);
    if (!entry) return;
    pending.delete(key);
    entry.calls.push({ method: entry.method, path: entry.path, status, ms: Math.round(performance.now() - entry.started) });
  };

  // The SDK's API client (axios over Node's http).
  diagnosticsChannel.subscribe("http.client.request.start", (message) => {
    const { request } = message as { request: ClientRequest };
    start(request, request.getHeader("host"), request.method, request.path);
  });
  diagnosticsChannel.subscribe("http.client.response.finish", (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    finish(request, response.statusCode ?? null);
  });
  diagnosticsChannel.subscribe("http.client.request.error", (message) => finish((message as { request: ClientRequest }).request, null));
  // fetch(): /sessions/verify and the JWKS.
  diagnosticsChannel.subscribe("undici:request:create", (message) => {
    const { request } = message as { request: { origin: string; method: string; path: string } };
    start(request, new URL(request.origin).host, request.method, request.path);
  });
  diagnosticsChannel.subscribe("undici:request:headers", (message) => {
    const { request, response } = message as { request: object; response: { statusCode: number } };
    finish(request, response.statusCode);
  });
  diagnosticsChannel.subscribe("undici:request:error", (message) => finish((message as { request: object }).request, null));
}
