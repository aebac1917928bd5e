import "server-only";
import { z } from "zod";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { apiKeyRefused, isApiKeyRefusal } from "./call";

const verifiedSchema = z.looseObject({
  authType: z.string().min(1),
  identifier: z.string(),
  oAuthMethod: z.string().min(1).max(40).optional(),
});

export type VerifiedIdentity = z.infer<typeof verifiedSchema>;

/** Which key `/sessions/verify` is sent, as `/mode` shows it. */
export type VerifyKeyHeader = "x-external-api-key" | "x-partner-id";

/**
 * The key header for `/sessions/verify`. Para's current examples send the **secret** key as
 * `x-external-api-key`; the server-SDK guide sends the API key as `x-partner-id`. The secret key
 * when it is configured, the guide's header otherwise — never both.
 */
export function verifyKeyHeaderName(): VerifyKeyHeader {
  return getConfig().para.secretKey ? "x-external-api-key" : "x-partner-id";
}

function verifyKeyHeader(): Record<string, string> {
  const { secretKey, apiKey } = getConfig().para;
  return { [verifyKeyHeaderName()]: secretKey ?? apiKey };
}

/**
 * Path 2: asks Para whether a verification token (from the browser's
 * `getVerificationToken()`) belongs to a live session, without importing anything.
 * 200 → the identity; Para's 403 → 401 `session_expired`; 400 → `session_malformed`; anything else → an upstream error.
 */
export async function verifyToken(verificationToken: string): Promise<VerifiedIdentity> {
  const { para } = getConfig();
  const headers: Record<string, string> = { "content-type": "application/json", ...verifyKeyHeader() };

  let response: Response;
  try {
    response = await fetch(para.verifyUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ verificationToken }),
      signal: AbortSignal.timeout(para.timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    // As every other call to Para (callPara): a timeout is 504, no answer at all 502.
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new AppError("upstream_timeout", `Para did not answer the token check within ${Math.round(para.timeoutMs / 1000)} s.`);
    }
    throw new AppError("upstream_unavailable", "Para could not be reached to verify the token.", { cause: error });
  }

  const refusal =
    response.status === 401 || response.status === 403
      ? await response
          .clone()
          .text()
          .catch(() => "")
      : "";
  if (isApiKeyRefusal(refusal))
    throw apiKeyRefused("sessions/verify", new Error(`sessions/verify answered ${response.status}: ${refusal.slice(0, 200)}`));
  if (response.status === 403) {
    throw new AppError("session_expired", "The Para session behind this token has ended. Sign in again.");
  }
  if (response.status === 400) {
    throw new AppError("session_malformed", "Para could not read this verification token. Send the one getVerificationToken() returned.");
  }
  if (response.status === 429) {
    throw new AppError("upstream_busy", "Para is busy and could not verify the token. Try again in a moment.", {
      retryAfterSeconds: Number(response.headers.get("retry-after")) || undefined,
    });
  }
  if (response.status !== 200) {
    const body = await response.text().catch(() => "");
    throw new AppError("upstream_error", "Para could not verify the token.", {
      cause: new Error(`sessions/verify answered ${response.status}: ${body.slice(0, 200)}`),
    });
  }
  const parsed = verifiedSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new AppError("upstream_error", "Para's answer to the token check was not understood.");
  return parsed.data;
}
