import { browserWalletAddress, exportedSessionIn, runStep, setExcludeSigners } from "./fixtures/home-page";
import { expect, test } from "./fixtures/signed-in";

for (const excludeSigners of [true, false]) {
  test(`step 1 with "Exclude signers" ${excludeSigners ? "on" : "off"}: the server imports and validates the session (hasSigners ${!excludeSigners})`, async ({
    page,
    user,
  }) => {
    await page.goto("/");
    await expect(page.getByTestId("identity")).toHaveText(user.identifier);
    await setExcludeSigners(page, excludeSigners);

    const sent = await runStep(page, "send");
    // What left the browser: the exported session, with or without each wallet's signer.
    const exported = await exportedSessionIn(sent.request);
    expect(exported.userId).toBe(user.userId);
    const signers = Object.values(exported.wallets).map((wallet) => typeof wallet.signer);
    // SDK 2.18's layout: two wallets (EVM and COSMOS share one), each with or without its signer.
    const walletIds = new Set(user.wallets.map((wallet) => wallet.id));
    expect(signers).toEqual([...walletIds].map(() => (excludeSigners ? "undefined" : "string")));

    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      userId: user.userId,
      authType: user.authType,
      identifier: user.identifier,
      hasSigners: !excludeSigners,
      path: "import",
    });
    expect(sortById(sent.body.wallets)).toEqual(sortById(user.wallets));

    // The server kept what it was sent: checked again, the session still has (or lacks) its signers.
    const checked = await runStep(page, "check");
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ userId: user.userId, hasSigners: !excludeSigners, path: "import" });
    expect(await browserWalletAddress(page, "EVM")).toBe(user.wallets.find((wallet) => wallet.type === "EVM")?.address);
  });
}

function sortById(wallets: unknown): { id: string; type: string }[] {
  const key = (wallet: { id: string; type: string }) => `${wallet.id}/${wallet.type}`;
  return [...(wallets as { id: string; type: string }[])].sort((a, b) => key(a).localeCompare(key(b)));
}
