import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { paraSessions } from "../../lib/db/schema";
import {
  deleteExpiredSessions,
  loadServerSession,
  refreshImportedSession,
  saveServerSession,
  STORED_REFRESH_AFTER_MS,
  type StoredImport,
  type StoredToken,
} from "../../lib/session/store";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

embeddedDatabaseForThisFile("para-session-store-", { DATA_ENCRYPTION_KEY: `1=${randomKey()}`, SESSION_SECRET: `1=${randomKey()}` });

const identity = { userId: "user-store", authType: "email", identifier: "s@example.com", wallets: [], hasSigners: false };
const at = (from: Date, ms: number) => new Date(from.getTime() + ms);
const HOUR = 3_600_000;
const save = (serialized: string, validatedAt: Date, expiresAt = at(validatedAt, HOUR)) =>
  saveServerSession({ path: "import", ...identity, serialized, validatedAt, expiresAt });
const load = async (id: string) => (await loadServerSession(id)) as StoredImport;

async function rowOf(id: string) {
  const [row] = await (await getDb()).select().from(paraSessions).where(eq(paraSessions.id, id));
  return row!;
}

describe("recording a validation in the stored session", () => {
  it("writes nothing when Para sent the same cookie back, until a minute has passed; the end stays Para's", async () => {
    const savedAt = new Date();
    const id = await save("exported", savedAt);
    const before = await rowOf(id);

    await refreshImportedSession(await load(id), "exported", at(savedAt, STORED_REFRESH_AFTER_MS - 1_000));
    expect(await rowOf(id)).toEqual(before);

    const later = at(savedAt, STORED_REFRESH_AFTER_MS);
    await refreshImportedSession(await load(id), "exported", later);
    const after = await rowOf(id);
    expect(after.validatedAt).toEqual(later);
    // A check does not move the end: only Para's word (a new JWT after keep-alive) does.
    expect(after.expiresAt).toEqual(before.expiresAt);
    expect(after.sealedSession).not.toBe(before.sealedSession);
  });

  it("writes at once when Para gave a later end", async () => {
    const savedAt = new Date();
    const id = await save("exported", savedAt);
    await refreshImportedSession(await load(id), "exported", at(savedAt, 1_000), at(savedAt, 5 * HOUR));
    expect((await rowOf(id)).expiresAt).toEqual(at(savedAt, 5 * HOUR));
  });

  it("keeps a token-path session's token sealed, and sweeps rows past their end", async () => {
    const now = new Date();
    const id = await saveServerSession({
      path: "token",
      userId: null,
      authType: "email",
      identifier: "t@example.com",
      wallets: [],
      verificationToken: "the-verification-token",
      validatedAt: now,
      expiresAt: at(now, HOUR),
    });
    expect(((await loadServerSession(id)) as StoredToken).verificationToken).toBe("the-verification-token");
    expect((await rowOf(id)).sealedToken).not.toContain("the-verification-token");
    const ended = await save("exported", at(now, -2 * HOUR), at(now, -HOUR));
    expect(await deleteExpiredSessions(now)).toBeGreaterThanOrEqual(1);
    expect(await loadServerSession(ended)).toBeUndefined();
    expect(await loadServerSession(id)).toBeDefined();
  });

  it("writes at once when Para renewed the cookie, so the next request sends the new one", async () => {
    const savedAt = new Date();
    const id = await save("exported", savedAt);
    await refreshImportedSession(await load(id), "exported-with-a-renewed-cookie", at(savedAt, 1_000));
    expect((await load(id)).serialized).toBe("exported-with-a-renewed-cookie");
    expect((await rowOf(id)).validatedAt).toEqual(at(savedAt, 1_000));
  });

  it("imports of one Para session at once leave exactly one row, whatever order their clocks say", async () => {
    const paraSessionId = `para-session-${Date.now()}`;
    const now = new Date();
    // Later clocks first: the order rows are written in, not their timestamps, decides which stays.
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        saveServerSession({
          path: "import",
          ...identity,
          paraSessionId,
          serialized: "exported",
          validatedAt: at(now, -i),
          expiresAt: at(now, HOUR),
        }),
      ),
    );
    const rows = await (
      await getDb()
    )
      .select({ id: paraSessions.id })
      .from(paraSessions)
      .where(eq(paraSessions.paraSessionId, paraSessionId));
    expect(rows).toHaveLength(1);
    expect(ids).toContain(rows[0]!.id);
  });
});
