import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { paraSessions } from "../../lib/db/schema";
import { SESSION_TTL_SECONDS } from "../../lib/session/cookie";
import { loadParaSession, refreshParaSession, saveParaSession, STORED_REFRESH_AFTER_MS } from "../../lib/session/store";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

embeddedDatabaseForThisFile("para-session-store-", { DATA_ENCRYPTION_KEY: `1=${randomKey()}`, SESSION_SECRET: `1=${randomKey()}` });

const identity = { userId: "user-store", authType: "email", identifier: "s@example.com", wallets: [], hasSigners: false };
const at = (from: Date, ms: number) => new Date(from.getTime() + ms);

async function rowOf(id: string) {
  const [row] = await (await getDb()).select().from(paraSessions).where(eq(paraSessions.id, id));
  return row!;
}

describe("recording a validation in the stored session", () => {
  it("writes nothing when Para sent the same cookie back, until a minute has passed; then moves the expiry", async () => {
    const savedAt = new Date();
    const id = await saveParaSession(identity, "exported", savedAt);
    const before = await rowOf(id);

    await refreshParaSession((await loadParaSession(id))!, "exported", at(savedAt, STORED_REFRESH_AFTER_MS - 1_000));
    expect(await rowOf(id)).toEqual(before);

    const later = at(savedAt, STORED_REFRESH_AFTER_MS);
    await refreshParaSession((await loadParaSession(id))!, "exported", later);
    const after = await rowOf(id);
    expect(after.validatedAt).toEqual(later);
    expect(after.expiresAt).toEqual(at(later, SESSION_TTL_SECONDS * 1000));
    expect(after.sealedSession).not.toBe(before.sealedSession);
  });

  it("writes at once when Para renewed the cookie, so the next request sends the new one", async () => {
    const savedAt = new Date();
    const id = await saveParaSession(identity, "exported", savedAt);
    await refreshParaSession((await loadParaSession(id))!, "exported-with-a-renewed-cookie", at(savedAt, 1_000));
    expect((await loadParaSession(id))?.serialized).toBe("exported-with-a-renewed-cookie");
    expect((await rowOf(id)).validatedAt).toEqual(at(savedAt, 1_000));
  });
});
