import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { pregenWallets } from "../../lib/db/schema";
import { AppError } from "../../lib/errors";
import { createPregenWallets } from "../../lib/wallets/service";
import { delayRequests, newParaServer, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

// Pregenerated wallets Para refuses after the app stopped waiting (PARA_TIMEOUT_MS, 1.5 s here;
// para-local holds the creation 3 s): the caller got 504, the creation went on in the background,
// and when it fails the reservation is given up, so nothing is left "creating" for the set's id.
// (tests/app/timeouts.test.ts covers the late creation that succeeds.)

quietSdkLogs();
paraLocalForThisFile();
embeddedDatabaseForThisFile("para-pregen-late-", {
  DATA_ENCRYPTION_KEY: randomKey(),
  SESSION_SECRET: randomKey(),
  PARA_TIMEOUT_MS: "1500",
});

const statusOf = async (id: string) =>
  (await (await getDb()).select({ status: pregenWallets.status }).from(pregenWallets).where(eq(pregenWallets.id, id)))[0]?.status;

describe("a pregenerated set Para refuses after the time limit", () => {
  it("answers 504 with the set's id, then gives up the reservation when Para's late answer is a refusal", async () => {
    const identifier = { type: "customId" as const, value: `late-refused-${randomBytes(6).toString("hex")}` };
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: 3_000 });

    const timedOut = await createPregenWallets("user-late", identifier).catch((error: unknown) => error);
    expect(timedOut).toBeInstanceOf(AppError);
    expect(timedOut).toMatchObject({ code: "upstream_timeout" });
    const id = (timedOut as AppError).details!.setId!;
    expect(await statusOf(id)).toBe("creating");

    // While para-local still holds the app's request, someone else creates the same wallets for the
    // identifier at Para: the held creation then answers 409.
    await newParaServer().createPregenWalletPerType({ pregenId: { customId: identifier.value }, types: ["EVM", "SOLANA", "COSMOS"] });
    await expect.poll(() => statusOf(id), { timeout: 15_000, interval: 100 }).toBeUndefined();
  });
});
