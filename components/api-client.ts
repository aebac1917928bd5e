import type { TransportKeySet } from "@/lib/transport/encrypt-session";

/** The result of one call to the app's API, as the session panel shows it. */
export interface ApiResult {
  ok: boolean;
  status: number;
  /** The JSON the server answered (or null when it answered nothing readable). */
  body: unknown;
  ms: number;
  /** `error.code` when the server answered an error. */
  errorCode?: string;
  errorMessage?: string;
  /** The calls the server made to Para for this request (its `x-para-calls` header), when it lists them. */
  paraCalls?: ParaCall[];
}

/** One call the server made to Para (lib/para/trace.ts). */
export interface ParaCall {
  method: string;
  path: string;
  status: number | null;
  ms: number;
}

function paraCallsOf(response: Response): ParaCall[] | undefined {
  const header = response.headers.get("x-para-calls");
  if (!header) return undefined;
  try {
    return JSON.parse(header) as ParaCall[];
  } catch {
    return undefined;
  }
}

/** Calls one of the app's own routes (same origin, JSON) and times it. Never throws for HTTP errors. */
export async function callApi(method: "GET" | "POST" | "PUT" | "DELETE", path: string, json?: unknown): Promise<ApiResult> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      // Every state-changing route requires it, bodiless ones too (lib/http/api-route.ts).
      headers: method === "GET" ? undefined : { "content-type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    return {
      ok: false,
      status: 0,
      body: null,
      ms: performance.now() - started,
      errorCode: "network",
      errorMessage: "The server could not be reached.",
    };
  }
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ok: response.ok,
    status: response.status,
    body,
    ms: performance.now() - started,
    errorCode: typeof error?.code === "string" ? error.code : undefined,
    errorMessage: typeof error?.message === "string" ? error.message : response.ok ? undefined : `The server answered ${response.status}.`,
    paraCalls: paraCallsOf(response),
  };
}

/** A call to the Para SDK that failed in the browser, shown in words like a server error (`what` it was doing). */
export function browserSdkFailure(error: unknown, what: string): ApiResult {
  return browserFailure("browser_sdk", `Para in the browser could not ${what}`, error);
}

/** Something that failed in the browser before any request: `code`, and `what` failed with the error's own words. */
function browserFailure(code: string, what: string, error: unknown): ApiResult {
  const reason = error instanceof Error ? error.message : "unknown error";
  return { ok: false, status: 0, body: null, ms: 0, errorCode: code, errorMessage: `${what}: ${reason}` };
}

/**
 * `POST /api/session` with the exported session encrypted to the server's transport key, as the
 * server requires (lib/transport/encrypt-session.ts). jose loads with the first call, not the page.
 */
export async function sendSession(session: string): Promise<ApiResult> {
  const keys = await callApi("GET", "/api/session/transport-key");
  if (!keys.ok) return keys;
  let jwe: string;
  try {
    const { encryptSession } = await import("@/lib/transport/encrypt-session");
    ({ jwe } = await encryptSession(session, keys.body as TransportKeySet, window.location.origin));
  } catch (error) {
    return browserFailure("browser_crypto", "The browser could not encrypt the session", error);
  }
  return callApi("POST", "/api/session", { session: jwe });
}
