import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { browserWalletAddress, exportedSessionIn, runStep } from "./fixtures/home-page";
import { type ConsentPopup, consent, type OAuthButton, openConsentPage, refuse } from "./fixtures/oauth-popup";
import { authInput, createPassword, enterPassword, openSignIn, uniqueEmail } from "./fixtures/para-modal";

// The modal's recovery-secret step copies the secret to the clipboard.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const PASSWORD = "correct horse battery";

/**
 * Sign-up with a provider through the real modal: its button, para-local's consent page in the
 * popup, then the password page and recovery secret, as after an email code. To Para an OAuth user
 * is an email user: the page shows the email, and step 1's server answer says `authType: "email"`.
 */
async function signUpWith(page: Page, method: OAuthButton, email: string): Promise<void> {
  await page.goto("/");
  await openSignIn(page);
  await consent(await openConsentPage(page, method), method, email);
  await createPassword(page, PASSWORD);
  await expect(page.getByTestId("identity")).toHaveText(email);
}

/**
 * Step 1, and the server's view: the email user Para attests, and the provider Para names in its
 * JWT (`data.oAuthMethod`: `x` for the modal's TWITTER), which the browser's session never carries.
 */
async function sendsTheSession(page: Page, email: string, provider: { claim: string; name: string }): Promise<string> {
  const sent = await runStep(page, "send");
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ authType: "email", identifier: email, oAuthMethod: provider.claim, path: "import" });
  expect((await exportedSessionIn(sent.request)).authInfo).toEqual({ auth: { email }, authType: "email", identifier: email });
  await expect(page.getByTestId("server-identifier")).toHaveText(email);
  await expect(page.getByTestId("server-oauth-method")).toContainText(provider.name);
  return sent.body.userId as string;
}

const GOOGLE = { claim: "google", name: "Google" };
const X = { claim: "x", name: "X" };

/** The modal is back at its first step, as before the button was pressed: nobody signed in, no portal page. */
async function expectModalBackAtStart(page: Page): Promise<void> {
  await expect(page.getByText("Complete Login")).toHaveCount(0);
  // The modal animates between views with both in the page: once only the first step is left.
  await expect(authInput(page)).toHaveCount(1);
  await expect(authInput(page)).toBeVisible();
  await expect(page.getByTestId("para-oauth-google")).toBeVisible();
  await expect(page.getByTestId("para-oauth-twitter")).toBeVisible();
  await expect(page.getByTestId("para-portal-iframe")).toHaveCount(0);
  await expect(page.getByTestId("identity")).toHaveCount(0);
}

test("the modal offers Google and X, and Apple, Discord and Facebook under more", async ({ page }) => {
  await page.goto("/");
  await openSignIn(page);
  await expect(page.getByTestId("para-oauth-google")).toBeVisible();
  await expect(page.getByTestId("para-oauth-twitter")).toBeVisible();
  await page.getByTestId("para-oauth-more").click();
  // The modal animates between views with both in the page: once only the list of all options is left.
  await expect(page.getByTestId("para-oauth-more")).toHaveCount(0);
  for (const method of ["google", "twitter", "apple", "discord", "facebook"]) {
    await expect(page.getByTestId(`para-oauth-${method}`)).toHaveCount(1);
    await expect(page.getByTestId(`para-oauth-${method}`)).toBeVisible();
  }
  // Telegram and Farcaster need telegram.org and the Farcaster relay: not offered with para-local.
  await expect(page.getByTestId("para-oauth-telegram")).toHaveCount(0);
  await expect(page.getByTestId("para-oauth-farcaster")).toHaveCount(0);
});

test("a new user signs up with Google, and the server validates the session (step 1)", async ({ page }) => {
  const email = uniqueEmail("google");
  await signUpWith(page, "google", email);
  await browserWalletAddress(page, "EVM");
  await sendsTheSession(page, email, GOOGLE);
});

test("a new user signs up with X, and the server validates the session (step 1)", async ({ page }) => {
  const email = uniqueEmail("x");
  await signUpWith(page, "twitter", email);
  await browserWalletAddress(page, "EVM");
  await sendsTheSession(page, email, X);
});

test("a user who signed up with Google logs in with Google in another browser, with the password, to the same wallets", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("google-returning");
  await signUpWith(page, "google", email);
  const evm = await browserWalletAddress(page, "EVM");
  const userId = await sendsTheSession(page, email, GOOGLE);

  const otherDevice = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const other = await otherDevice.newPage();
  await other.goto("/");
  await openSignIn(other);
  await consent(await openConsentPage(other, "google"), "google", email);
  // An existing user: the portal's password login page, not a new password.
  await enterPassword(other, PASSWORD);
  await expect(other.getByTestId("identity")).toHaveText(email);
  expect(await browserWalletAddress(other, "EVM")).toBe(evm);
  expect(await sendsTheSession(other, email, GOOGLE)).toBe(userId);
  await otherDevice.close();
});

test("Cancel on the consent page closes it and leaves the modal where it was", async ({ page }) => {
  await page.goto("/");
  await openSignIn(page);
  await refuse(await openConsentPage(page, "google"));
  await expectModalBackAtStart(page);
});

test("closing the popup leaves the modal where it was", async ({ page }) => {
  await page.goto("/");
  await openSignIn(page);
  const { popup, problems }: ConsentPopup = await openConsentPage(page, "twitter");
  await popup.close();
  expect(problems).toEqual([]);
  await expectModalBackAtStart(page);
});
