import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resetConfigCache } from "../../lib/config";
import { PREGEN_ATTEMPTS_PER_DAY } from "../../lib/wallets/attempts";
import { createPregenWallets } from "../../lib/wallets/service";
import { injectFault, newParaServer, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

// Attempts count against the pregeneration limits, not only the sets that were made: one that Para
// refuses or fails costs calls to Para as well. (tests/app/wallets.test.ts counts the calls over HTTP.)

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
embeddedDatabaseForThisFile("para-pregen-attempts-", { DATA_ENCRYPTION_KEY: randomKey(), SESSION_SECRET: randomKey() });

const unique = () => randomBytes(6).toString("hex");
const apiRequests = () => paraLocal.current!.store.apiRequests;

/** An identifier Para already has wallets for (made elsewhere: the app's database does not know it). */
async function takenAtPara() {
  const value = `taken-${unique()}`;
  await newParaServer().createPregenWallet({ type: "SOLANA", pregenId: { customId: value } });
  return { type: "customId" as const, value };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "created",
    (error: unknown) => (error as { code?: string }).code,
  );

describe("failed pregeneration attempts", () => {
  // First in the file: no attempt has been counted yet.
  it("count against the hourly limit for all owners together; one refused there does not cost its owner's day", async () => {
    process.env.PREGEN_GLOBAL_HOURLY_LIMIT = "3";
    resetConfigCache();
    const identifier = await takenAtPara();
    const late = `user-${unique()}`;
    try {
      for (let i = 0; i < 3; i++) expect(await codeOf(createPregenWallets(`user-${unique()}`, identifier))).toBe("conflict");
      const before = apiRequests();
      await expect(createPregenWallets(late, identifier)).rejects.toMatchObject({
        code: "rate_limited",
        message: expect.stringContaining("in an hour"),
      });
      expect(apiRequests()).toBe(before);
    } finally {
      delete process.env.PREGEN_GLOBAL_HOURLY_LIMIT;
      resetConfigCache();
    }
    // Under the default cap again, the owner refused above still has every attempt of the day.
    for (let i = 0; i < PREGEN_ATTEMPTS_PER_DAY; i++) expect(await codeOf(createPregenWallets(late, identifier))).toBe("conflict");
    await expect(createPregenWallets(late, identifier)).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("count against the owner's day: refusals, then 429 without asking Para", async () => {
    const owner = `user-${unique()}`;
    const identifier = await takenAtPara();
    const codes = [];
    for (let i = 0; i < PREGEN_ATTEMPTS_PER_DAY; i++) codes.push(await codeOf(createPregenWallets(owner, identifier)));
    expect(codes).toEqual(Array(PREGEN_ATTEMPTS_PER_DAY).fill("conflict"));

    const before = apiRequests();
    await expect(createPregenWallets(owner, identifier)).rejects.toMatchObject({
      code: "rate_limited",
      retryAfterSeconds: expect.any(Number),
    });
    // Not another identifier either: the day's attempts are used up.
    await expect(createPregenWallets(owner, { type: "customId", value: `fresh-${unique()}` })).rejects.toMatchObject({
      code: "rate_limited",
    });
    expect(apiRequests()).toBe(before);
  });

  it("count when Para fails, as when it refuses", async () => {
    const owner = `user-${unique()}`;
    await injectFault({ method: "GET", path: "/wallets/pregen", status: 503, count: PREGEN_ATTEMPTS_PER_DAY });
    const codes = [];
    for (let i = 0; i < PREGEN_ATTEMPTS_PER_DAY; i++)
      codes.push(await codeOf(createPregenWallets(owner, { type: "customId", value: `busy-${unique()}` })));
    expect(codes).toEqual(Array(PREGEN_ATTEMPTS_PER_DAY).fill("upstream_busy"));
    // Para is well again, but this owner's attempts for the day are spent.
    await expect(createPregenWallets(owner, { type: "customId", value: `busy-${unique()}` })).rejects.toMatchObject({
      code: "rate_limited",
    });
  });
});
