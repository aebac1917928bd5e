import "server-only";
import { getConfig } from "./config";

/**
 * Redacts secrets from everything the server process prints, whoever prints it. The app's own log
 * lines never carry one (lib/log.ts), but libraries do: the server SDK's signing worker prints a
 * failed request's error whole (`withRetry` → `console.warn`), and an axios error carries its
 * request headers — the user's `x-capsule-sid` and the API key. Worker threads print through this
 * process's stdout and stderr, so wrapping their `write` covers them too. Installed once, at start.
 */
export function installLogRedaction(): void {
  const holder = globalThis as typeof globalThis & { __paraLogRedaction?: true };
  if (holder.__paraLogRedaction) return;
  holder.__paraLogRedaction = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(typeof chunk === "string" || Buffer.isBuffer(chunk) ? redactSecrets(chunk.toString()) : chunk, ...rest)) as typeof stream.write;
  }
}

const REDACTED = "[redacted]";

/** The secrets a line may carry, as they appear in printed objects and headers. */
const PATTERNS: [RegExp, string][] = [
  // A Para session cookie, wherever it appears (x-capsule-sid values, exported sessions).
  [/capsule\.sid=[^;'"\s,}\\]+/g, `capsule.sid=${REDACTED}`],
  // Header values, as util.inspect and JSON print them: 'x-capsule-sid': '…', "x-external-api-key":"…".
  [
    /((?:x-capsule-sid|x-external-api-key|x-partner-id|authorization|cookie)['"]?\s*[:=]\s*['"]?(?:Bearer\s+)?)[^'"\s,}]+/gi,
    `$1${REDACTED}`,
  ],
  // Key shares: a wallet's signer, or a whole exported session's signers (escaped quotes included).
  [/("?signer"?\s*[:=]\s*["'])(?:\\+.|[^"'\\])*/g, `$1${REDACTED}`],
];

export function redactSecrets(text: string): string {
  const { para } = getConfig();
  let redacted = text;
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement);
  for (const secret of [para.apiKey, para.secretKey]) {
    if (secret) redacted = redacted.replaceAll(secret, REDACTED);
  }
  return redacted;
}
