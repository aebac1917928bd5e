import { inject } from "vitest";
import { encryptSession, type TransportKeySet } from "../../lib/transport/encrypt-session";

export interface AppResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Every body the app answered in this test file, to check none carries a secret. */
export const answeredBodies: string[] = [];

/**
 * A browser-like client of the app: it keeps the cookies the app sets (a tiny jar: name →
 * value, dropped when the app expires them) and sends them back.
 */
export class AppClient {
  readonly cookies = new Map<string, string>();
  readonly baseUrl = inject("appUrl");

  /** @param address the client address the app sees (`x-forwarded-for`): a fresh one per client unless given. */
  constructor(readonly address = randomAddress()) {}

  /**
   * `options.plaintext`: send `POST /api/session`'s session as it is. Otherwise it is encrypted to
   * the app's transport key first, as the app's pages do (components/api-client.ts sendSession).
   */
  async request<T = unknown>(
    method: string,
    path: string,
    options: { json?: unknown; body?: string; headers?: Record<string, string>; plaintext?: boolean } = {},
  ): Promise<AppResponse<T>> {
    if (method === "POST" && path === "/api/session" && !options.plaintext && isSessionBody(options.json)) {
      const { jwe } = await this.encrypt(options.json.session);
      options = { ...options, json: { ...options.json, session: jwe } };
    }
    const headers: Record<string, string> = { ...options.headers };
    // As the app's own client does (components/api-client.ts): state-changing requests declare JSON,
    // bodiless ones too. A test that passes `headers` decides for itself.
    if (options.headers === undefined && method !== "GET" && method !== "HEAD") headers["content-type"] = "application/json";
    // Each client is its own address for the app's rate limits (the x-forwarded-for a proxy would add), unless a test picks one.
    headers["x-forwarded-for"] ??= this.address;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    if (this.cookies.size && !headers.cookie) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) this.store(line);
    const text = await response.text();
    answeredBodies.push(text);
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the test asserting on it will say so
    }
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  /** The exported session, encrypted to the app's current transport key as a browser on this origin would. */
  async encrypt(session: string, audience = new URL(this.baseUrl).origin): Promise<{ jwe: string; kid: string }> {
    const keys = await fetch(`${this.baseUrl}/api/session/transport-key`);
    return encryptSession(session, (await keys.json()) as TransportKeySet, audience);
  }

  private store(setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(";");
    const separator = pair!.indexOf("=");
    const name = pair!.slice(0, separator).trim();
    const value = pair!.slice(separator + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key, attributeValue = ""] = attribute.trim().split("=");
      if (key!.toLowerCase() === "max-age") return Number(attributeValue) <= 0;
      if (key!.toLowerCase() === "expires") return new Date(attributeValue).getTime() <= Date.now();
      return false;
    });
    if (expired || value === "") this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** A documentation-range IPv6 address (RFC 3849), different for every client. */
export function randomAddress(): string {
  const group = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8::${group()}:${group()}:${group()}`;
}

/** The production build sets a `Secure` cookie, so its name carries the `__Host-` prefix (lib/session/cookie-name.ts). */
export const SESSION_COOKIE = "__Host-para_server_sessions";

/** The shape of every error the app answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string> };
}

function isSessionBody(json: unknown): json is { session: string } {
  return typeof (json as { session?: unknown } | null)?.session === "string";
}

/** The session as exported with `excludeSigners: true`. */
export function withoutSigners(serialized: string): string {
  const json = JSON.parse(Buffer.from(serialized, "base64").toString("utf8")) as { wallets: Record<string, { signer?: string }> };
  for (const wallet of Object.values(json.wallets)) delete wallet.signer;
  return Buffer.from(JSON.stringify(json)).toString("base64");
}
