/** Every error code the API answers with, and the HTTP status each one means. */
const STATUS = {
  bad_request: 400,
  encryption_required: 400,
  transport_key_unknown: 400,
  transport_invalid: 400,
  transport_expired: 400,
  transport_audience: 400,
  invalid_json: 400,
  session_malformed: 400,
  unauthorized: 401,
  session_invalid: 401,
  session_expired: 401,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  conflict: 409,
  transport_replayed: 409,
  session_not_imported: 409,
  approval_required: 409,
  signers_required: 409,
  grant_required: 409,
  action_started: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  not_configured: 501,
  upstream_error: 502,
  upstream_unavailable: 502,
  service_unavailable: 503,
  upstream_busy: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof STATUS;

/** Codes that mean "nothing changed, come back": they carry `Retry-After` (5 s unless the error says otherwise). */
const RETRYABLE = new Set<ErrorCode>(["service_unavailable", "upstream_busy", "upstream_timeout"]);

/** The one JSON shape every failed request gets. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetails };
}

/** Facts a client can act on (ids, never secrets), beside the message. */
export type ErrorDetails = Record<string, string>;

/**
 * An error the API answers with as `{error: {code, message}}`. The message is for the
 * caller: never put upstream text, secrets or stack traces in it (use `cause`, which is logged).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetails;
  /** Seconds to wait before trying again, sent as `Retry-After` (429 and 503 answers). */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds ?? (RETRYABLE.has(code) ? 5 : undefined);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details && { details: this.details }) } };
  }
}

/** Anything thrown, as an AppError: unknown errors become a generic 500 that says nothing inside. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("internal_error", "Something went wrong on the server.", { cause: error });
}
