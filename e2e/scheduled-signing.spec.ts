import { expect, test } from "./fixtures/signed-in";
import { runStep, setExcludeSigners } from "./fixtures/home-page";

interface Action {
  id: string;
  status: string;
  result?: { broadcast?: { status: string; transactionId?: string } };
}

test("grant on the home page, schedule on the examples page, close it: the server signs while no page is open, and the page shows it done", async ({
  page,
  context,
}) => {
  await page.goto("/");
  await setExcludeSigners(page, false);
  expect((await runStep(page, "send")).status).toBe(200);

  // The consent, in plain words, and a way to end it.
  const grant = page.getByTestId("grant");
  await grant.getByTestId("grant-length").selectOption({ label: "1 day" });
  await grant.getByRole("button", { name: /^Let this app act for you until / }).click();
  await expect(grant.getByTestId("grant-until")).toContainText("This app may act for you until");
  await expect(grant.getByTestId("grant-end")).toBeVisible();

  await page.goto("/examples");
  const scheduled = page.getByTestId("scheduled");
  await scheduled.getByTestId("schedule-library").selectOption("viem");
  await scheduled.getByTestId("schedule-kind").selectOption("transaction");
  await scheduled.getByTestId("schedule-delay").selectOption({ label: "in 15 seconds" });
  await scheduled.getByTestId("schedule").click();
  await expect(scheduled.getByTestId("action").first()).toHaveAttribute("data-status", "scheduled");
  await page.close();

  // No page open: the server runs it on its own. Polled through the API with the browser's cookie.
  await expect
    .poll(
      async () => {
        const listed = (await (await context.request.get("/api/actions")).json()) as { actions: Action[] };
        return listed.actions[0]?.status;
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe("done");

  const again = await context.newPage();
  await again.goto("/examples");
  const done = again.getByTestId("scheduled").getByTestId("action").first();
  await expect(done).toHaveAttribute("data-status", "done");
  await expect(done).toContainText(/0x[0-9a-f]{64} \(included\)/);
});

test("without a grant the examples page says so, and offers one", async ({ page, allowConsoleError }) => {
  allowConsoleError(
    /409 \(Conflict\) \(http:\/\/localhost:\d+\/api\/actions\)/,
    "scheduling without a grant is refused: the page shows it",
  );
  await page.goto("/examples");
  await page.getByRole("button", { name: "Send session with signers" }).click();
  await expect(page.getByTestId("send-signers-result")).toHaveText("The server holds your session with signers");
  const scheduled = page.getByTestId("scheduled");
  await scheduled.getByTestId("schedule-delay").selectOption({ label: "in 1 hour" });
  await scheduled.getByTestId("schedule").click();
  await expect(scheduled.getByTestId("schedule-error")).toHaveAttribute("data-code", "grant_required");
  await scheduled.getByTestId("grant-hour").click();
  await scheduled.getByTestId("schedule").click();
  const action = scheduled.getByTestId("action").first();
  await expect(action).toHaveAttribute("data-status", "scheduled");
  await action.getByRole("button", { name: "Cancel" }).click();
  await expect(action).toHaveAttribute("data-status", "cancelled");
});
