import { randomUUID } from "node:crypto";
import { createParaAccount } from "@getpara/viem-v2-integration";
import { recoverMessageAddress } from "viem";
import { describe, expect, it } from "vitest";
import { Environment, Para as ParaServer } from "@getpara/server-sdk";
import { API_KEY, forIntegrations, quietSdkLogs } from "../testing/index.js";

/** As the app builds a signing instance (lib/para/server.ts): the worker starts with it. */
const signingInstance = () => new ParaServer(Environment.DEV, API_KEY, { disableWebSockets: false });

quietSdkLogs();

const CYCLES = 50;

describe("the signing worker, cycle after cycle (one process, one worker)", () => {
  it(`${CYCLES} times: pregen create → getUserShare → new instance → setUserShare → signMessage, with no worker death`, async () => {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const creator = signingInstance();
      const wallet = await creator.createPregenWallet({ type: "EVM", pregenId: { customId: `cycle-${cycle}-${randomUUID()}` } });
      const signer = signingInstance();
      await signer.setUserShare(creator.getUserShare()!);
      const message = `cycle ${cycle}`;
      const signature = await createParaAccount(forIntegrations(signer)).signMessage({ message });
      expect(await recoverMessageAddress({ message, signature }), `cycle ${cycle}`).toBe(wallet.address);
    }
  }, 300_000);
});
