import { ENDED_SESSION_WALLET_POLL, expect, test } from "./fixtures/test";
import { expireUserSessions } from "../para-local/testing";
import { browserWalletAddress, runStep } from "./fixtures/home-page";
import { signUpWithEmail, submitIdentifier, uniqueEmail } from "./fixtures/para-modal";

// The modal's recovery-secret step copies the secret to the clipboard.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const PASSWORD = "correct horse battery";

// Through the real modal: only a user with a password can log in again (para-local/README.md).
test("after the session expires, Sign in again logs the same user back in and step 1 works again without a reload", async ({
  page,
  allowConsoleError,
}) => {
  allowConsoleError(
    /401 \(Unauthorized\) \(http:\/\/localhost:\d+\/api\/session\)/,
    "the spec ends the session at Para and checks the 401 before signing in again",
  );
  allowConsoleError(ENDED_SESSION_WALLET_POLL, "the browser SDK polls the ended session's wallets until the user signs in again");
  const email = uniqueEmail("sign-in-again");
  await page.goto("/");
  await signUpWithEmail(page, email, PASSWORD);
  await expect(page.getByTestId("identity")).toHaveText(email);
  const evm = await browserWalletAddress(page, "EVM");
  const first = await runStep(page, "send");
  expect(first.status).toBe(200);
  const userId = first.body.userId as string;

  expect((await expireUserSessions(userId)).expired).toBeGreaterThan(0);
  expect((await runStep(page, "check")).body).toMatchObject({ error: { code: "session_expired" } });

  // The browser drops its dead Para session and the modal opens at the email step; the password page logs the user in.
  await page.getByTestId("session-expired").getByRole("button", { name: "Sign in again" }).click();
  await submitIdentifier(page, email);
  const portal = page.frameLocator('[data-testid="para-portal-iframe"]');
  await portal.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await portal.getByRole("button", { name: "Continue" }).click();

  await expect(page.getByTestId("identity")).toHaveText(email);
  expect(await browserWalletAddress(page, "EVM")).toBe(evm);
  await expect(page.getByTestId("session-expired")).toHaveCount(0);
  await expect(page.getByTestId("step-send-result")).toBeEmpty();

  const again = await runStep(page, "send");
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ userId, identifier: email, path: "import" });
  const checked = await runStep(page, "check");
  expect(checked.status).toBe(200);
  expect(checked.body).toMatchObject({ userId, identifier: email, path: "import" });
});
