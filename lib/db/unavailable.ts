import "server-only";
import { AppError } from "../errors";

/** Node's socket errors and Postgres's SQLSTATEs that mean "the database is not there right now". */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "53300", // too_many_connections
  "08000", // connection_exception
  "08001",
  "08003",
  "08006",
]);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/**
 * The error as the API answers it when the database did not answer: 503 `service_unavailable`
 * (with Retry-After, set by apiRoute) instead of a 500 — a user and a load balancer should come
 * back, not give up. Anything else is returned as it was.
 */
export function asDatabaseUnavailable(error: unknown): unknown {
  // An AppError is classified already (Para unreachable carries a refused connection too, as its cause).
  if (error instanceof AppError) return error;
  return isUnavailable(error, 0)
    ? new AppError("service_unavailable", "The database is not answering right now. Try again in a moment.", { cause: error })
    : error;
}

function isUnavailable(error: unknown, depth: number): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  if (UNAVAILABLE_MESSAGES.test(error.message)) return true;
  // Node reports a refused connection to every address of a host as one AggregateError; drizzle wraps query errors.
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailable(inner, depth + 1))) return true;
  return isUnavailable(error.cause, depth + 1);
}
