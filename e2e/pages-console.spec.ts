import { test as signedInTest } from "./fixtures/signed-in";
import { expect, test } from "./fixtures/test";

// Every page, signed out and signed in: the console guard (fixtures/test.ts) fails the spec on any
// console error or page error — a hydration warning, a duplicate key, a 404, a request known to fail.

const PAGES = ["/", "/examples", "/mode"] as const;

test("signed out, every page loads with a clean console, and /account sends the visitor home", async ({ page }) => {
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    // The Para SDK has finished starting: the sign-in button (home, examples) or the static page is ready.
    if (path !== "/mode") await expect(page.getByRole("button", { name: "Sign in with Para" })).toBeEnabled();
  }
  await page.goto("/account");
  await expect(page).toHaveURL(/\/$/);
});

signedInTest("signed in, every page loads with a clean console, /account included", async ({ page, user }) => {
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    if (path !== "/mode") await expect(page.getByText(user.identifier).first()).toBeVisible();
  }
  // The server holds the session once step 1 has run; then /account renders it.
  await page.goto("/");
  await page.getByTestId("step-send").getByRole("button", { name: "Send session to server" }).click();
  await expect(page.getByTestId("step-send-result")).toHaveAttribute("data-status", "200");
  await page.goto("/examples");
  await expect(page.getByTestId("pregen-wallets")).toBeVisible();
  await page.goto("/account");
  await expect(page.getByTestId("server-identifier")).toHaveText(user.identifier);
});
