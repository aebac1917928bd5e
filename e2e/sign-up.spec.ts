import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { cosmosAddress, decodeSigner } from "../para-local/testing";
import { logInWithEmail, signUpWithEmail, signUpWithPhone, uniqueEmail, uniquePhone } from "./fixtures/para-modal";

// The modal's recovery-secret step copies the secret to the clipboard.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const PASSWORD = "correct horse battery";
const EVM = /^0x[0-9a-fA-F]{40}$/;
const SOLANA = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
const COSMOS = /^cosmos1[02-9ac-hj-np-z]{38}$/;

test("a new user signs up with email, any code and a password, and gets EVM, Solana and Cosmos wallets", async ({ page }) => {
  const email = uniqueEmail("sign-up");
  await page.goto("/");
  await signUpWithEmail(page, email, PASSWORD);

  await expect(page.getByTestId("identity")).toHaveText(email);
  await expect(page.getByTestId("wallet-address")).toHaveText(EVM);
  const wallets = await browserWallets(page);
  expect(wallets.EVM.address).toMatch(EVM);
  expect(wallets.SOLANA.address).toMatch(SOLANA);
  expect(wallets.COSMOS.address).toMatch(COSMOS);
  await expect(page.getByTestId("wallet-address")).toHaveText(wallets.EVM.address);
  // The browser holds a signer for each wallet: it made the keys in its worker.
  expect(decodeSigner(wallets.EVM.signer).walletId).toBe(wallets.EVM.id);
  expect(decodeSigner(wallets.SOLANA.signer).walletId).toBe(wallets.SOLANA.id);
});

test("a new user signs up with a phone number", async ({ page }) => {
  const phone = uniquePhone();
  await page.goto("/");
  await signUpWithPhone(page, phone.typed, PASSWORD);

  await expect(page.getByTestId("identity")).toHaveText(phone.e164);
  await expect(page.getByTestId("wallet-address")).toHaveText(EVM);
});

test("a returning user logs in on another browser with the password and gets the same wallets and signers", async ({ page, browser }) => {
  const email = uniqueEmail("returning");
  await page.goto("/");
  await signUpWithEmail(page, email, PASSWORD);
  await expect(page.getByTestId("wallet-address")).toHaveText(EVM);
  const original = await browserWallets(page);

  // A new context shares nothing with the first: no local storage, no signers.
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await other.goto("/");
  await logInWithEmail(other, email, PASSWORD);

  await expect(other.getByTestId("identity")).toHaveText(email);
  await expect(other.getByTestId("wallet-address")).toHaveText(original.EVM.address);
  const restored = await browserWallets(other);
  for (const type of ["EVM", "SOLANA", "COSMOS"] as const) {
    expect(restored[type].id).toBe(original[type].id);
    expect(restored[type].address).toBe(original[type].address);
    expect(restored[type].signer).toBe(original[type].signer);
  }
  await otherDevice.close();
});

interface BrowserWallet {
  id: string;
  address: string;
  signer: string;
}

/**
 * The browser SDK's wallets per type, from what it persists in local storage (the page shows
 * one address; the SDK lists its one DKLS wallet under both EVM and COSMOS, and derives the
 * Cosmos address from its public key, as `getDisplayAddress` does).
 */
async function browserWallets(page: Page): Promise<Record<"EVM" | "SOLANA" | "COSMOS", BrowserWallet>> {
  const stored = await page.evaluate(() => ({
    wallets: localStorage.getItem("@CAPSULE/wallets"),
    currentWalletIds: localStorage.getItem("@CAPSULE/currentWalletIds"),
  }));
  const wallets = JSON.parse(stored.wallets ?? "{}") as Record<
    string,
    { id: string; address?: string; publicKey?: string; signer?: string }
  >;
  const ids = JSON.parse(stored.currentWalletIds ?? "{}") as Partial<Record<string, string[]>>;
  const pick = (type: "EVM" | "SOLANA" | "COSMOS"): BrowserWallet => {
    const wallet = wallets[ids[type]?.[0] ?? ""];
    if (!wallet?.address || !wallet.signer) throw new Error(`the browser has no usable ${type} wallet: ${stored.currentWalletIds}`);
    const address = type === "COSMOS" ? cosmosAddress(wallet.publicKey ?? "", "cosmos") : wallet.address;
    return { id: wallet.id, address, signer: wallet.signer };
  };
  return { EVM: pick("EVM"), SOLANA: pick("SOLANA"), COSMOS: pick("COSMOS") };
}
