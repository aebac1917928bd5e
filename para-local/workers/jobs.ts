// The jobs of the SDKs' signing worker, para-local edition, for any host that can `fetch`.
// The browser SDK (web-sdk `workers/worker.js`) and the server SDK post the same messages
// — `{functionType, params, env, apiKey, sessionCookie, cosmosPrefix, workId, …}` — and read
// the same results (`walletUtils.js`): `{signer, walletId}` for a keygen, `{signature}` or
// `{pendingTransactionId}` for a signature. Browser-safe: no `node:` imports, no Buffer.
import { unsignedTransactionHash } from "../keys/evm-transaction.js";
import {
  type KeyScheme,
  type KeyWalletType,
  decodeSigner,
  encodeSigner,
  generatePrivateKey,
  publicKeyOf,
  schemeOf,
  signDigest,
  signEd25519,
} from "../keys/wallet-keys.js";

/** The only environment para-local serves: the SDK hard-codes its API at localhost:8080. */
const API_BASE: Record<string, string> = { DEV: "http://localhost:8080" };

export interface WorkerMessage {
  functionType?: string;
  params?: Record<string, unknown>;
  env?: string;
  apiKey?: string;
  sessionCookie?: string;
  cosmosPrefix?: string;
  workId?: string;
}

export type JobResult = Record<string, unknown>;

interface Api {
  post(path: string, body: unknown): Promise<JobResult>;
}

/**
 * Runs jobs and answers each with its `workId`. The SDKs' worker protocol has no per-job error
 * message (a result is always taken as success); the only error path is the worker's "error"
 * event, which rejects every pending job with its message and starts a new worker on the next
 * call. So a failure is thrown uncaught, once jobs already running here have answered.
 */
export function createJobRunner(reply: (message: JobResult) => void): (message: WorkerMessage) => Promise<void> {
  let inFlight = 0;
  const failures: string[] = [];
  return async (message) => {
    inFlight++;
    try {
      const result = await runJob(message);
      reply({ ...result, workId: message.workId });
    } catch (error) {
      failures.push(`${message.functionType ?? "unknown job"}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      inFlight--;
      if (inFlight === 0 && failures.length > 0) {
        const reason = failures.splice(0).join("; ");
        setTimeout(() => {
          throw new Error(`para-local worker: ${reason}`);
        });
      }
    }
  };
}

export async function runJob({ functionType, params = {}, env, apiKey, sessionCookie, cosmosPrefix }: WorkerMessage): Promise<JobResult> {
  if (functionType === "INIT") return {};
  const api = apiClient(env, apiKey, sessionCookie);
  switch (functionType) {
    case "KEYGEN":
      return keygen(api, `/users/${text(params.userId, "userId")}/wallets`, walletType(params.type), { useTwoSigners: true, cosmosPrefix });
    case "ED25519_KEYGEN":
      return keygen(api, `/users/${text(params.userId, "userId")}/wallets`, "SOLANA", {});
    case "PREKEYGEN":
      return keygen(api, "/wallets/pregen", walletType(params.type), { ...pregenIdentity(params), cosmosPrefix });
    case "ED25519_PREKEYGEN":
      return keygen(api, "/wallets/pregen", "SOLANA", pregenIdentity(params));
    case "SIGN_MESSAGE":
      return withRetry(() => signMessage(api, params, "DKLS", text(params.message, "message")));
    case "ED25519_SIGN":
      return withRetry(() => signMessage(api, params, "ED25519", text(params.base64Bytes, "base64Bytes")));
    case "SIGN_TRANSACTION":
      return withRetry(() => signTransaction(api, params));
    case "GET_PRIVATE_KEY":
    case "REFRESH":
    case "SEND_TRANSACTION":
      throw new Error(`${functionType} is not supported by para-local (single-party local keys: no key export, refresh or broadcast)`);
    default:
      throw new Error(`functionType ${String(functionType)} is not supported`);
  }
}

/** Registers the wallet, makes its key, reports the public key, returns the signer to the SDK. */
async function keygen(api: Api, path: string, type: KeyWalletType, extra: Record<string, unknown>): Promise<JobResult> {
  const scheme = schemeOf(type);
  const { walletId } = await api.post(path, { ...extra, type, scheme });
  if (typeof walletId !== "string") throw new Error(`POST ${path} answered without a walletId`);
  const privateKey = generatePrivateKey(scheme);
  await api.post(`/local/wallets/${walletId}/public-key`, { publicKey: publicKeyOf(scheme, privateKey) });
  return { signer: encodeSigner({ walletId, scheme, privateKey }), walletId };
}

/** PREKEYGEN's `email` param, when set, wins over the identifier (worker.js does the same). */
function pregenIdentity(params: Record<string, unknown>): Record<string, unknown> {
  const { email } = params;
  if (typeof email === "string" && email !== "" && email !== "null" && email !== "undefined") {
    return { pregenIdentifier: email, pregenIdentifierType: "EMAIL" };
  }
  return { pregenIdentifier: params.pregenIdentifier, pregenIdentifierType: params.pregenIdentifierType };
}

/** Para authorises every signature first (session and owner checks, or a pending review). */
async function signMessage(api: Api, params: Record<string, unknown>, scheme: KeyScheme, messageBase64: string): Promise<JobResult> {
  const { walletId, signer } = signerFor(params, scheme);
  const path = `/users/${text(params.userId, "userId")}/wallets/${walletId}/messages/sign`;
  const review = await api.post(path, {
    message: messageBase64,
    scheme: scheme === "ED25519" ? "ED25519" : null,
    cosmosSignDoc: params.cosmosSignDoc,
    protocolId: crypto.randomUUID(),
  });
  if (typeof review.pendingTransactionId === "string") return { pendingTransactionId: review.pendingTransactionId };
  const message = fromBase64(messageBase64);
  // Para returns ed25519 signatures base64 (solana integration) and secp256k1 ones as hex (viem, cosmjs).
  return scheme === "ED25519"
    ? { signature: toBase64(signEd25519(signer.privateKey, message)) }
    : { signature: signDigest(signer.privateKey, message) };
}

async function signTransaction(api: Api, params: Record<string, unknown>): Promise<JobResult> {
  const { walletId, signer } = signerFor(params, "DKLS");
  const tx = text(params.tx, "tx");
  const chainId = typeof params.chainId === "string" ? params.chainId : undefined;
  const path = `/users/${text(params.userId, "userId")}/wallets/${walletId}/transactions/sign`;
  const review = await api.post(path, { transaction: tx, chainId, protocolId: crypto.randomUUID() });
  if (typeof review.pendingTransactionId === "string") return { pendingTransactionId: review.pendingTransactionId };
  return { signature: signDigest(signer.privateKey, unsignedTransactionHash(fromBase64(tx), chainId)) };
}

function signerFor(params: Record<string, unknown>, scheme: KeyScheme) {
  const walletId = text(params.walletId, "walletId");
  const signer = decodeSigner(params.share);
  if (signer.walletId !== walletId) throw new Error(`the signer passed belongs to wallet ${signer.walletId}, not ${walletId}`);
  if (signer.scheme !== scheme) throw new Error(`wallet ${walletId} is a ${signer.scheme} wallet, cannot sign as ${scheme}`);
  return { walletId, signer };
}

/**
 * What Para's worker does around each signature (server-sdk `workers/worker.js` `withRetry`): two
 * retries, and each failure printed with `console.warn(message, error)`. Para's worker calls with
 * axios, whose errors carry the request's config — its headers, the user's `x-capsule-sid` and the
 * API key among them — so that line is a leak the app must redact; this worker's errors carry the
 * same, so the app's tests see it.
 */
async function withRetry<T>(operation: () => Promise<T>, maxRetries = 2): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await operation();
    } catch (error) {
      if (retries >= maxRetries) throw error;
      console.warn(`Operation failed (attempt ${retries + 1}/${maxRetries}), retrying...`, error);
    }
  }
}

/** An error shaped like axios's: the request's config, headers included, rides along. */
class RequestError extends Error {
  constructor(
    message: string,
    readonly config: { url: string; method: string; headers: Record<string, string> },
    readonly status: number,
  ) {
    super(message);
  }
}

function apiClient(env: string | undefined, apiKey: string | undefined, sessionCookie: string | undefined): Api {
  const base = env ? API_BASE[env] : undefined;
  if (!base) throw new Error(`para-local's worker serves Environment.DEV only, not ${String(env)}`);
  return {
    async post(path, body) {
      const headers: Record<string, string> = { "content-type": "application/json", "x-para-version": "dev" };
      if (apiKey) headers["x-external-api-key"] = apiKey;
      if (sessionCookie) headers["x-capsule-sid"] = sessionCookie;
      const response = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      const answer = await response.text();
      if (response.status !== 200) {
        throw new RequestError(
          `POST ${path} answered ${response.status}: ${answer}`,
          { url: `${base}${path}`, method: "post", headers },
          response.status,
        );
      }
      const parsed: unknown = answer ? JSON.parse(answer) : {};
      return parsed && typeof parsed === "object" ? (parsed as JobResult) : {};
    },
  };
}

function walletType(value: unknown): KeyWalletType {
  const type = value ?? "EVM"; // worker.js defaults a missing type to EVM
  if (type !== "EVM" && type !== "SOLANA" && type !== "COSMOS") throw new Error(`wallet type ${String(type)} is not supported`);
  return type;
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") throw new Error(`${name} is required`);
  return value;
}

function fromBase64(value: string): Uint8Array {
  return Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
