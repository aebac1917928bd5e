// The server worker bundle, driven the way server-sdk's workerWrapper drives it: fetched from the
// portal, run with `eval: true`, jobs posted with a workId, results matched by workId.
import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { decodeSigner, publicKeyOf, walletAddress } from "../keys/wallet-keys.js";
import { API_KEY, api, mintSession, type MintedSession } from "../testing/index.js";

const BUNDLE_URL = "http://localhost:3003/static/js/mpcWorkerServer-bundle.js";

let worker: Worker | undefined;
afterEach(async () => {
  await worker?.terminate();
  worker = undefined;
});

async function startWorker(): Promise<Worker> {
  const response = await fetch(BUNDLE_URL);
  expect(response.status).toBe(200);
  worker = new Worker(await response.text(), { eval: true });
  return worker;
}

/** Posts one job as the SDK does and resolves with its answer, or rejects with the worker's error. */
function runJob(target: Worker, minted: MintedSession, functionType: string, params: Record<string, unknown>) {
  const workId = randomUUID();
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    target.on("message", (message: Record<string, unknown>) => {
      if (message.workId === workId) resolve(message);
    });
    target.once("error", reject);
    target.postMessage({
      env: "DEV",
      apiKey: API_KEY,
      sessionCookie: minted.sessionCookie,
      cosmosPrefix: "cosmos",
      functionType,
      params,
      workId,
    });
  });
}

describe("server worker bundle", () => {
  it.each([
    ["KEYGEN", "EVM", { type: "EVM" }],
    ["KEYGEN", "COSMOS", { type: "COSMOS" }],
    ["ED25519_KEYGEN", "SOLANA", {}],
  ] as const)("%s (%s) registers a wallet whose address matches the signer's key", async (functionType, type, params) => {
    const minted = await mintSession();
    const result = await runJob(await startWorker(), minted, functionType, { userId: minted.userId, ...params });
    const signer = decodeSigner(result.signer);
    expect(signer.walletId).toBe(result.walletId);

    const listed = await api("GET", `/users/${minted.userId}/wallets`, { cookie: minted.sessionCookie });
    const wallet = (JSON.parse(listed.text) as { wallets: { id: string; type: string; address: string }[] }).wallets.find(
      (w) => w.id === result.walletId,
    );
    expect(wallet).toMatchObject({ type, address: walletAddress(type, publicKeyOf(signer.scheme, signer.privateKey)) });
  });

  it("answers INIT without an environment", async () => {
    const minted = await mintSession();
    await expect(runJob(await startWorker(), minted, "INIT", {})).resolves.toEqual({ workId: expect.any(String) });
  });

  it("reports a failed job through the worker's error event, with the API's reason", async () => {
    const minted = await mintSession();
    const target = await startWorker();
    await expect(
      runJob(target, minted, "SIGN_MESSAGE", { userId: minted.userId, walletId: minted.wallets[0]!.id, share: "{}", message: "aGk=" }),
    ).rejects.toThrow(/SIGN_MESSAGE: not a para-local signer/);
  });

  it("refuses jobs it cannot do locally", async () => {
    const minted = await mintSession();
    await expect(runJob(await startWorker(), minted, "GET_PRIVATE_KEY", {})).rejects.toThrow(
      /GET_PRIVATE_KEY is not supported by para-local/,
    );
  });
});
