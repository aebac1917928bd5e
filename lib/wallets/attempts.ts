import "server-only";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getConfig } from "../config";
import { type Database, getDb } from "../db/client";
import { rateLimits } from "../db/schema";
import { AppError } from "../errors";

/**
 * Attempts each user may make a day. Every attempt is counted, whatever its outcome: a refused or
 * failed one costs calls to Para as a successful one does, so counting only the sets that were
 * made would leave failures free (an identifier Para already has could be asked about without end).
 */
export const PREGEN_ATTEMPTS_PER_DAY = 5;

const DAY_SECONDS = 24 * 60 * 60;
const HOUR_SECONDS = 60 * 60;

/**
 * Counts one attempt to pregenerate wallets for `ownerUserId`, before anything is asked of Para:
 * 429 `rate_limited` (with Retry-After) past the owner's daily limit, or past the hourly limit for
 * all owners together (PREGEN_GLOBAL_HOURLY_LIMIT: any signed-in user could otherwise squat
 * identifiers in bulk). Counted by rate-limiter-flexible in the app's database, so requests sent in
 * parallel, and other instances on the same Postgres, share the counts.
 */
export async function countPregenAttempt(ownerUserId: string): Promise<void> {
  const db = await getDb();
  const perOwner = attemptLimiter(db, "pregen_attempts", PREGEN_ATTEMPTS_PER_DAY, DAY_SECONDS);
  await consumeOrRefuse(perOwner, ownerUserId, `You can try to create pregenerated wallets ${PREGEN_ATTEMPTS_PER_DAY} times a day.`);
  // Built per call: the hourly cap is configuration, and tests change it between calls.
  const global = attemptLimiter(db, "pregen_attempts_all", getConfig().pregenGlobalHourlyLimit, HOUR_SECONDS);
  try {
    await consumeOrRefuse(global, "all", "This server has pregenerated as many wallets as it allows in an hour.");
  } catch (error) {
    // Refused before it began: the attempt does not count against the owner's own day.
    await perOwner.reward(ownerUserId, 1);
    throw error;
  }
}

function attemptLimiter(db: Database, keyPrefix: string, points: number, duration: number): RateLimiterDrizzle {
  // The sign-in refusals' limiter clears expired rows of the shared table (lib/http/rate-limit.ts): one timer is enough.
  return new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration, clearExpiredByTimeout: false });
}

async function consumeOrRefuse(limiter: RateLimiterDrizzle, key: string, message: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (rejection) {
    // The library rejects with its result when over the limit, and with an Error when the store failed.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError("rate_limited", `${message} Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
  }
}
