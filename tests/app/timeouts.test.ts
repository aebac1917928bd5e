import { describe, expect, it } from "vitest";
import { delayRequests, mintSession, quietSdkLogs, walletOf } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import type { ErrorBody } from "./client";
import { ownAppForThisFile } from "./own-app";

// Para slower than the app's time limit (PARA_TIMEOUT_MS, 1.5 s here; para-local answers 3 s late):
// each call is answered 504 upstream_timeout, nothing the caller cannot see is left behind, and
// wallets Para finishes creating after the app stopped waiting are stored, not lost.

quietSdkLogs();
paraLocalForThisFile();

const LATE_MS = 3_000;
/** A client of this file's app, whose time limit is short. */
const { Client: SlowParaClient } = ownAppForThisFile(3105, () => ({ PARA_TIMEOUT_MS: "1500", PREGEN_GLOBAL_HOURLY_LIMIT: "100" }));

async function signedIn() {
  const user = await mintSession();
  const client = new SlowParaClient();
  const response = await client.request("POST", "/api/session", { json: { session: user.session } });
  expect(response.status, response.text).toBe(200);
  return { user, client };
}

type PregenSet = { id: string; wallets: { type: string; address: string }[] };

describe("Para answering after the time limit", () => {
  it("pregen: 504, and the wallets Para finishes creating are stored when they arrive and sign", async () => {
    const { client } = await signedIn();
    const identifier = { type: "customId", value: `late-${Date.now()}` };
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: LATE_MS });

    const late = await client.request<ErrorBody>("POST", "/api/wallets/pregen", { json: { identifier } });
    expect(late.status, late.text).toBe(504);
    expect(late.body.error.code).toBe("upstream_timeout");
    expect(late.body.error.message).toMatch(/will appear in your list/);
    const id = late.body.error.details?.setId;
    expect(id).toBeTruthy();
    // Asking again for the same identifier while Para is still at it: taken, not created twice.
    expect((await client.request("POST", "/api/wallets/pregen", { json: { identifier } })).status).toBe(409);

    await expect
      .poll(
        async () =>
          (await client.request<{ pregenWallets: PregenSet[] }>("GET", "/api/wallets/pregen")).body.pregenWallets.map((set) => set.id),
        {
          timeout: 15_000,
          interval: 250,
        },
      )
      .toContain(id);
    const signed = await client.request<{ verified: boolean }>("POST", "/api/examples/viem/pregen", { json: { setId: id } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.verified).toBe(true);
  });

  it("keep-alive: 504, and the stored session still answers", async () => {
    const { user, client } = await signedIn();
    await delayRequests({ method: "POST", path: "/users/:userId/session/keep-alive", ms: LATE_MS });
    const late = await client.request<ErrorBody>("POST", "/api/session/keep-alive");
    expect(late.status, late.text).toBe(504);
    expect(late.body.error.code).toBe("upstream_timeout");
    const after = await client.request<{ userId: string }>("GET", "/api/session");
    expect(after.status, after.text).toBe(200);
    expect(after.body.userId).toBe(user.userId);
  });

  it("signing: 504, no signature is answered, and the next request signs", async () => {
    const { user, client } = await signedIn();
    await delayRequests({ method: "POST", path: "/users/:userId/wallets/:walletId/messages/sign", ms: LATE_MS });
    const late = await client.request<ErrorBody & { signature?: string }>("POST", "/api/examples/viem/session");
    expect(late.status, late.text).toBe(504);
    expect(late.body.error.code).toBe("upstream_timeout");
    expect(late.body.signature).toBeUndefined();
    const next = await client.request<{ address: string; verified: boolean }>("POST", "/api/examples/viem/session");
    expect(next.status, next.text).toBe(200);
    expect(next.body).toMatchObject({ address: walletOf(user, "EVM").address, verified: true });
  });
});
