import { expireUserSessions } from "../para-local/testing";
import { attachScreenshots, runStep } from "./fixtures/home-page";
import { expect, test } from "./fixtures/signed-in";

test("once Para ends the session, Check session and Verify with a token show it has expired", async ({
  page,
  user,
  allowConsoleError,
}, testInfo) => {
  allowConsoleError(
    /401 \(Unauthorized\) \(http:\/\/localhost:\d+\/api\/session\)/,
    "the spec ends the session at Para, then checks that Check session answers 401",
  );
  allowConsoleError(/401 \(Unauthorized\) \(http:\/\/localhost:\d+\/api\/session\/verify\)/, "…and that Verify with a token answers 401");
  await page.goto("/");
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);
  expect((await runStep(page, "send")).status).toBe(200);
  await expect(page.getByTestId("session-expired")).toHaveCount(0);

  expect((await expireUserSessions(user.userId)).expired).toBeGreaterThan(0);

  // Path 1: the stored session is no longer active; the server drops it.
  const checked = await runStep(page, "check");
  expect(checked.status).toBe(401);
  expect(checked.body).toMatchObject({ error: { code: "session_expired" } });
  await expect(page.getByTestId("session-expired")).toBeVisible();
  await expect(page.getByTestId("server-view")).not.toHaveAttribute("data-path");

  // Path 2: Para's /sessions/verify refuses the token (403), and the server answers 401.
  const verified = await runStep(page, "verify");
  expect(verified.status).toBe(401);
  expect(verified.body).toMatchObject({ error: { code: "session_expired" } });
  await expect(page.getByTestId("session-expired")).toBeVisible();
  await attachScreenshots(page, testInfo, "home session expired");
});
