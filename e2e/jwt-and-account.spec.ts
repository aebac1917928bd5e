import { expireUserSessions } from "../para-local/testing";
import { runStep } from "./fixtures/home-page";
import { expect, test } from "./fixtures/signed-in";
import { ENDED_SESSION_WALLET_POLL } from "./fixtures/test";

test("path 3 from the page: issueJwt() in the browser, verified by the server against Para's keys", async ({ page, user }) => {
  await page.goto("/");
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);

  const verified = await runStep(page, "jwt");
  const { token } = verified.request.postDataJSON() as { token: string };
  expect(token.split(".")).toHaveLength(3);
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ userId: user.userId, identifier: user.identifier, path: "jwt", checkedBy: "jwt" });
  await expect(page.getByTestId("server-path")).toHaveText("Para JWT (path 3)");
  await expect(page.getByTestId("step-jwt")).toContainText("a logout at Para only shows once the token expires");

  // Checked again, the server answers from its cookie and says so.
  const checked = await runStep(page, "check");
  expect(checked.body).toMatchObject({ userId: user.userId, path: "jwt", checkedBy: "cookie" });
  await expect(page.getByTestId("server-checked-by")).toContainText("as last checked");
});

test("/account is rendered on the server from the data access layer, and sends a signed-out visitor home", async ({
  page,
  user,
  browser,
  allowConsoleError,
}) => {
  allowConsoleError(ENDED_SESSION_WALLET_POLL, "the spec ends the session at Para; the home page it lands on then polls its wallets");
  await page.goto("/");
  await expect(page.getByTestId("identity")).toHaveText(user.identifier);
  expect((await runStep(page, "send")).status).toBe(200);

  // The HTML the server sent, scripts (and the RSC payload in them) taken out: it already shows the user.
  const html = (await (await page.request.get("/account")).text()).replace(/<script[\s\S]*?<\/script>/g, "");
  expect(html).toContain(user.identifier);
  expect(html).toContain("imported session (path 1)");
  expect(html).toContain(user.wallets.find((wallet) => wallet.type === "EVM")!.address);

  await page.goto("/account");
  await expect(page.getByTestId("server-identifier")).toHaveText(user.identifier);
  await expect(page.getByTestId("server-checked-by")).toHaveText("Para was asked for this answer");

  // Once Para ends the session, the page asks Para during the render and sends the user home.
  await expireUserSessions(user.userId);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/$/);

  // A visitor with no cookie at all never reaches the page (proxy.ts).
  const stranger = await browser.newPage();
  const response = await stranger.goto(new URL("/account", page.url()).toString());
  await expect(stranger).toHaveURL(/\/$/);
  expect(response?.request().redirectedFrom()?.url()).toMatch(/\/account$/);
  await stranger.close();
});
