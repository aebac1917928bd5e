import "server-only";
import { isIP } from "node:net";
import { ipAddress } from "@vercel/functions";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { getDb } from "../db/client";
import { rateLimits } from "../db/schema";
import { AppError } from "../errors";

/**
 * The app's abuse limits, counted by rate-limiter-flexible in the app's own database
 * (`rate_limits`): on Postgres every instance shares the counts; the embedded database serves one
 * process, which is all there is locally.
 */
const LIMITS = {
  /** Per client address: sign-ins Para refused (forged or dead blobs, tokens, JWTs). Sign-ins Para accepts are not counted. */
  refusals: { keyPrefix: "para_refusals", points: 20, duration: 10 * 60 },
  /** Per user: signatures the server makes for them (session or pregenerated wallets). */
  signing: { keyPrefix: "signing", points: 30, duration: 60 },
} as const;

type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, Promise<RateLimiterDrizzle>>();

function limiter(name: LimitName): Promise<RateLimiterDrizzle> {
  let made = limiters.get(name);
  if (!made) {
    made = getDb().then(
      (db) => new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, ...LIMITS[name], clearExpiredByTimeout: name === "refusals" }),
    );
    // A database that was not there is asked again next time.
    made.catch(() => limiters.delete(name));
    limiters.set(name, made);
  }
  return made;
}

/**
 * The address a request comes from. On Vercel, `x-real-ip`, which Vercel's edge sets (whatever the
 * client sent). Elsewhere, the `x-forwarded-for` entry added by the nearest of the
 * `TRUSTED_PROXY_HOPS` proxies in front of the app — entries left of it are the client's own word.
 * With no proxy (0), the rightmost entry: Next puts the socket's address there, but only when the
 * client sent none, so a server exposed directly lets a client choose its key. Anything that is
 * not an IP address counts as one address, "unknown".
 */
export function clientAddress(from: Request | Headers): string {
  const headers = "headers" in from ? from.headers : from;
  const { fromVercel, proxyHops } = getConfig().clientAddress;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = fromVercel ? ipAddress(headers) : forwarded[forwarded.length - Math.max(1, proxyHops)];
  return address && isIP(address) ? address : "unknown";
}

/**
 * Runs `action` — a call that asks Para about a caller who is not signed in: an import, a
 * verification token, a JWT — and counts it against the client's address only when Para (or its
 * signature) refuses it (401/403). A client over the limit is refused before Para is asked: 429
 * `rate_limited` with Retry-After. Sign-ins Para accepts are never counted, so many users signing
 * in properly from one address (a NAT, an office, 50 at once) are never limited. This is
 * rate-limiter-flexible's own pattern for login endpoints: look the count up first, add to it on a
 * failure. Requests already in flight when a client crosses the limit still reach Para, once each.
 */
export async function limitParaRefusals<T>(from: Request | Headers, action: () => Promise<T>): Promise<T> {
  const refusals = await limiter("refusals");
  const address = clientAddress(from);
  const seen = await refusals.get(address);
  if (seen && seen.consumedPoints >= refusals.points) {
    throw rateLimited("Too many sessions from your address were refused.", seen.msBeforeNext);
  }
  try {
    return await action();
  } catch (error) {
    if (error instanceof AppError && (error.status === 401 || error.status === 403)) await refusals.penalty(address, 1);
    throw error;
  }
}

/** Counts one signature for `userId`: 429 `rate_limited` past the per-user limit, before anything is signed. */
export async function limitSigning(userId: string): Promise<void> {
  await consumeOrRefuse(await limiter("signing"), userId, "You have asked the server to sign too often.");
}

async function consumeOrRefuse(rateLimiter: RateLimiterDrizzle, key: string, message: string): Promise<void> {
  try {
    await rateLimiter.consume(key, 1);
  } catch (rejection) {
    // The library rejects with its result when over the limit, and with an Error when the store failed.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw rateLimited(message, rejection.msBeforeNext);
  }
}

function rateLimited(message: string, msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError("rate_limited", `${message} Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
}
