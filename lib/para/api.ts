import "server-only";
import { Environment, initClient, paraVersion } from "@getpara/core-sdk";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { callPara } from "./call";

/** What Para's `/touch` answers about a session cookie (core-sdk's `SessionInfo`, the parts the app reads). */
export interface TouchAnswer {
  userId?: string;
  /** The Para app (partner) the session belongs to. */
  partnerId?: string;
  /** Para's id for the session, the same across cookie rotations. */
  sessionId?: string;
  isAuthenticated?: boolean;
  currentWalletIds?: Partial<Record<string, string[]>>;
  cosmosPrefix?: string;
}

/**
 * Para's API for one session, through the SDK's own client (`initClient` from core-sdk): one
 * request per question, without the state machine a `ParaServer` runs before it can answer
 * (five calls at construction, none about the session — see para-protocol.md). Use it to ask
 * Para who a session belongs to and whether it is live; use `createParaServer` to act.
 * Each call is bounded by `callPara`; a rotated cookie from Para is kept in `sessionCookie`.
 */
export class ParaSessionApi {
  #cookie: string;
  readonly #client: ReturnType<typeof initClient>;

  constructor(sessionCookie: string) {
    const { para } = getConfig();
    this.#cookie = sessionCookie;
    this.#client = initClient({
      env: Environment[para.environment],
      version: paraVersion,
      apiKey: para.apiKey,
      retrieveSessionCookie: () => this.#cookie,
      persistSessionCookie: (cookie) => {
        this.#cookie = cookie;
      },
    });
  }

  /** The session cookie as Para last sent it (it may rotate it or renew its expiry). */
  get sessionCookie(): string {
    return this.#cookie;
  }

  /**
   * `POST /touch`: is the session signed in, and whose is it. Para answers a session that has ended
   * with 200 and `isAuthenticated: false`, so a 401 or 403 here is Para refusing the app (its key,
   * its origin or IP allowlist), never the session's end: an upstream error that ends nothing.
   */
  async touch(): Promise<TouchAnswer> {
    try {
      return await this.#call("touchSession", () => this.#client.touchSession(false));
    } catch (error) {
      if (error instanceof AppError && error.code === "session_expired") {
        throw new AppError("upstream_error", "Para refused to check the session (touchSession). No session was ended.", {
          cause: error.cause,
        });
      }
      throw error;
    }
  }

  /** `POST /auth/jwt`: a JWT Para signs for the session's user (it also extends the session). */
  async issueJwt(): Promise<string> {
    const { token } = await this.#call("issueJwt", () => this.#client.issueJwt({ keyIndex: 0 }));
    return token;
  }

  /** `POST /users/:userId/session/keep-alive`: extends the session at Para. */
  async keepAlive(userId: string): Promise<void> {
    await this.#call("keepSessionAlive", () => this.#client.keepSessionAlive(userId));
  }

  /**
   * Para answers 401 or 403 for a session that has ended (or is not this user's): that is not Para
   * failing. Unless the refusal is about the app's API key: then every session would read as
   * ended, so it is an upstream error that ends nothing.
   */
  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await callPara(what, call);
    } catch (error) {
      const cause = error instanceof AppError ? (error.cause as { status?: unknown; message?: unknown } | undefined) : undefined;
      if (cause?.status === 401 || cause?.status === 403) {
        if (isApiKeyRefusal(cause.message)) throw apiKeyRefused(what, error);
        throw sessionEnded(cause);
      }
      throw error;
    }
  }
}

/** Para's answer text for a refused API key, partner or origin (para-local: "invalid API key"), as opposed to a refused session. */
export function isApiKeyRefusal(message: unknown): boolean {
  const text = typeof message === "string" ? message : JSON.stringify(message ?? "");
  return /\b(api key|partner|origin)\b/i.test(text);
}

let keyProblemLogged = false;

/** A refused API key: 502 for the caller, and one log line per process naming the problem (the key itself is never logged). */
export function apiKeyRefused(what: string, cause: unknown): AppError {
  if (!keyProblemLogged) {
    keyProblemLogged = true;
    process.stderr.write(
      `[app] Para refused this app's API key (${what}): check PARA_API_KEY, its environment, and the partner's allowed origins and IPs in Para's developer portal. Sessions are kept.\n`,
    );
  }
  return new AppError("upstream_error", "Para refused this app's API key. No session was ended; the operator has been told.", { cause });
}

export function sessionEnded(cause?: unknown): AppError {
  return new AppError("session_expired", "Your Para session has ended. Sign in again.", { cause });
}
