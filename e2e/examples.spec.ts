import { ed25519 } from "@noble/curves/ed25519.js";
import { base58 } from "@scure/base";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { type Hex, recoverMessageAddress } from "viem";
import { signUpWithEmail, uniqueEmail } from "./fixtures/para-modal";

// The modal's recovery-secret step copies the secret to the clipboard.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const PASSWORD = "correct horse battery";

interface SigningAnswer {
  address: string;
  message: string;
  signature: string;
  verified: boolean;
}

test("from the examples page: send the session with signers, pregenerate wallets, sign with them (viem, solana) and with the session, and send a smart account's user operation", async ({
  page,
  allowConsoleError,
}) => {
  allowConsoleError(
    /401 \(Unauthorized\) \(http:\/\/localhost:\d+\/api\/examples\/viem\/session\)/,
    "the spec signs before sending the session, to show the 401",
  );
  await page.goto("/examples");
  await signUpWithEmail(page, uniqueEmail("examples"), PASSWORD);
  const browserAddress = (await page.getByTestId("browser-wallet-address").textContent())!;

  // Before the server holds the session, the session column cannot sign.
  await page.getByTestId("run-viem-session").click();
  await expect(page.getByTestId("result-viem-session")).toHaveAttribute("data-status", "401");

  await page.getByRole("button", { name: "Send session with signers" }).click();
  await expect(page.getByTestId("send-signers-result")).toHaveText("The server holds your session with signers");

  const identifier = uniqueEmail("pregen");
  await page.getByTestId("pregen-type").selectOption("email");
  await page.getByTestId("pregen-value").fill(identifier);
  await page.getByRole("button", { name: "Create pregenerated wallets" }).click();
  const set = page.getByTestId("pregen-set").filter({ hasText: identifier });
  await expect(set.getByRole("radio")).toBeChecked();
  const pregenAddress = async (type: string) => (await set.locator("li", { hasText: type }).locator("code").textContent())!;

  // viem's transaction lands on the specs' local chain; Solana has no RPC here and is signed only.
  const viemPregen = await run(page, "viem", "pregen", "included");
  expect(viemPregen.address).toBe(await pregenAddress("EVM"));
  expect(await recoverMessageAddress({ message: viemPregen.message, signature: viemPregen.signature as Hex })).toBe(viemPregen.address);

  const solanaPregen = await run(page, "solana", "pregen", "not_broadcast");
  expect(solanaPregen.address).toBe(await pregenAddress("SOLANA"));
  expect(
    ed25519.verify(
      base58.decode(solanaPregen.signature),
      new TextEncoder().encode(solanaPregen.message),
      base58.decode(solanaPregen.address),
    ),
  ).toBe(true);

  // Now the session column signs too, with the wallet this browser signed up with.
  const viemSession = await run(page, "viem", "session", "included");
  expect(viemSession.address).toBe(browserAddress);
  expect(await recoverMessageAddress({ message: viemSession.message, signature: viemSession.signature as Hex })).toBe(browserAddress);

  // The smart account: owned by the wallet this browser signed up with, deployed by its first user operation.
  await page.getByTestId("run-smart-account-session").click();
  const smartAccount = page.getByTestId("result-smart-account-session");
  await expect(smartAccount).toHaveAttribute("data-operation", "included");
  await expect(smartAccount.getByText(/included in block \d+ · account deployed/)).toBeVisible();
  await expect(page.getByTestId("result-smart-account-session-owner")).toHaveText(browserAddress);
  await expect(page.getByTestId("result-smart-account-session-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);

  // EIP-7702: the same wallet becomes the smart account itself.
  await page.getByTestId("run-smart-account-eip7702-session").click();
  const delegated = page.getByTestId("result-smart-account-eip7702-session");
  await expect(delegated).toHaveAttribute("data-operation", "included");
  await expect(delegated.getByText(/included in block \d+ · wallet delegated/)).toBeVisible();
  await expect(page.getByTestId("result-smart-account-eip7702-session-address")).toHaveText(browserAddress);
});

/** Clicks a cell's run button, waits for the verified badge and reads the server's full answer from the cell. */
async function run(
  page: Page,
  library: string,
  mode: "session" | "pregen",
  broadcast: "included" | "not_broadcast",
): Promise<SigningAnswer> {
  await page.getByTestId(`run-${library}-${mode}`).click();
  const result: Locator = page.getByTestId(`result-${library}-${mode}`);
  await expect(result).toHaveAttribute("data-verified", "true");
  await expect(result.getByText("✓ verified")).toBeVisible();
  await expect(page.getByTestId(`result-${library}-${mode}-broadcast`)).toHaveAttribute("data-broadcast", broadcast);
  const answer = JSON.parse((await result.locator("pre").textContent())!) as SigningAnswer;
  expect(answer.verified).toBe(true);
  return answer;
}
