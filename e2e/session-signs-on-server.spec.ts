import { Environment, Para as ParaServer } from "@getpara/server-sdk";
import { createParaViemClient } from "@getpara/viem-v2-integration";
import { expect, test } from "./fixtures/test";
import { http, recoverMessageAddress } from "viem";
import { mainnet } from "viem/chains";
import { forIntegrations } from "../para-local/testing";
import { browserWalletAddress, exportedSessionIn, runStep, sessionSentIn, setExcludeSigners } from "./fixtures/home-page";
import { signUpWithEmail, uniqueEmail } from "./fixtures/para-modal";

// The modal's recovery-secret step copies the secret to the clipboard.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** The server SDK as the test's own: in DEV it prints a state dump on every change, which buries the test output. */
class QuietParaServer extends ParaServer {
  protected override devLog(): void {}
}

/** Nothing reaches a chain: signing a message needs no RPC, and this port is closed. */
const NO_RPC = "http://127.0.0.1:9";

test("a session exported with signers after a real sign-up signs, on a fresh server SDK, as the page's EVM address", async ({ page }) => {
  await page.goto("/");
  await signUpWithEmail(page, uniqueEmail("signs-on-server"), "correct horse battery");
  const evm = await browserWalletAddress(page, "EVM");

  await setExcludeSigners(page, false);
  const sent = await runStep(page, "send");
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ hasSigners: true, path: "import" });
  const session = await sessionSentIn(sent.request);
  const evmWallet = Object.values((await exportedSessionIn(sent.request)).wallets).find((wallet) => wallet.address === evm);
  expect(evmWallet?.signer).toEqual(expect.any(String));

  // What a route handler does with it: a new instance per use, the session imported, viem through Para's integration.
  const para = new QuietParaServer(Environment.DEV, "para-local-key");
  await para.importSession(session);
  expect(await para.isSessionActive()).toBe(true);
  const client = createParaViemClient(forIntegrations(para), { chain: mainnet, transport: http(NO_RPC) });
  const account = client.account!;
  expect(account.address).toBe(evm);
  const message = `signed on the server for ${evm}`;
  const signature = await client.signMessage({ account, message });
  expect(await recoverMessageAddress({ message, signature })).toBe(evm);
});
