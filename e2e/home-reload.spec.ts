import { browserWalletAddress, runStep } from "./fixtures/home-page";
import { expect, test } from "./fixtures/signed-in";

test("the signed-in fixture: the page opens signed in as the minted user, with its three wallets", async ({ page, user }) => {
  await page.goto("/");
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);
  for (const wallet of user.wallets) expect(await browserWalletAddress(page, wallet.type)).toBe(wallet.address);
});

test("after step 1 and a reload, the browser is still signed in and the server still knows the user", async ({ page, user }) => {
  await page.goto("/");
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);
  const sent = await runStep(page, "send");
  expect(sent.status).toBe(200);

  await page.reload();
  // The browser: the same user and wallets, from its own storage and a live Para session.
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);
  expect(await browserWalletAddress(page, "SOLANA")).toBe(user.wallets.find((wallet) => wallet.type === "SOLANA")?.address);
  // The page has not asked the server anything yet.
  await expect(page.getByTestId("step-check-result")).toBeEmpty();

  const checked = await runStep(page, "check");
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({
    userId: user.userId,
    authType: user.authType,
    identifier: user.identifier,
    hasSigners: false,
    path: "import",
  });
  expect(checked.body.wallets).toEqual(sent.body.wallets);

  // The browser's Para session is live too: it gets a verification token Para accepts.
  const verified = await runStep(page, "verify");
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ identifier: user.identifier, path: "token" });
});
