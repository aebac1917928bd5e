import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { runStep, type StepId } from "./fixtures/home-page";
import { signUpWithEmail, uniqueEmail } from "./fixtures/para-modal";

// The real path under `next dev` (the chromium-next-dev project), where React reports duplicate keys and
// hydration mismatches: a sign-up through the modal, every step of the home page, every page. Any console
// error or warning fails it, save the SDK's own in fixtures/test.ts's list.

test.use({ permissions: ["clipboard-read", "clipboard-write"], failOnConsole: ["error", "warning"] });
// `next dev` compiles each route and the SDK's chunks on first use.
test.setTimeout(300_000);

const PAGES = ["/", "/account", "/examples", "/mode"] as const;
const STEPS: StepId[] = ["send", "check", "keepAlive", "verify", "jwt"];

test("under next dev, a sign-up, steps 1–6 and every page leave a clean console", async ({ page }) => {
  const email = uniqueEmail("dev-console");
  await visitEveryPage(page, "signed out");

  await goto(page, "/");
  await signUpWithEmail(page, email, "correct horse battery");
  await expect(page.getByTestId("identity")).toHaveText(email);
  for (const step of STEPS) expect((await runStep(page, step)).status, step).toBe(200);
  await visitEveryPage(page, "signed in", email);

  await goto(page, "/");
  await expect(page.getByTestId("identity")).toHaveText(email);
  expect((await runStep(page, "logout", { shown: false })).status).toBe(200);
  await expect(page.getByRole("button", { name: "Sign in with Para" })).toBeEnabled();
  await visitEveryPage(page, "signed out");
});

/**
 * `page.goto` from a blank page. The page being left would otherwise hear, over `next dev`'s HMR
 * socket, of the compile that the next route's request starts, and reload itself: that reload
 * aborts the navigation under way (net::ERR_ABORTED).
 */
async function goto(page: Page, path: string): Promise<void> {
  await page.goto("about:blank");
  await page.goto(path);
}

/** Each page, waited for until the Para SDK (where the page has it) has settled: the sign-in button or the user. */
async function visitEveryPage(page: Page, state: "signed in" | "signed out", email?: string) {
  for (const path of PAGES) {
    await test.step(`${path}, ${state}`, async () => {
      await goto(page, path);
      // /account sends a visitor without a server session home.
      if (path === "/account" && state === "signed out") await expect(page).toHaveURL(/\/$/);
      await expect(page.locator("main h1")).toBeVisible();
      const landed = new URL(page.url()).pathname;
      if (landed === "/mode") return;
      if (state === "signed out") await expect(page.getByRole("button", { name: "Sign in with Para" })).toBeEnabled();
      else if (landed === "/account") await expect(page.getByTestId("server-identifier")).toHaveText(email!);
      else await expect(page.getByText(email!).first()).toBeVisible();
      // The server still holds the imported session (step 5 kept it), so the list is asked for, and answers.
      if (landed === "/examples" && state === "signed in") await expect(page.getByText("No pregenerated wallets yet.")).toBeVisible();
    });
  }
}
