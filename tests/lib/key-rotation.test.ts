import { eq } from "drizzle-orm";
import { sealData, unsealData } from "iron-session";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../lib/config";
import { seal, unseal, UnsealError } from "../../lib/crypto/envelope";
import { getDb } from "../../lib/db/client";
import { paraSessions } from "../../lib/db/schema";
import { sessionOptions } from "../../lib/session/cookie";
import { AppError } from "../../lib/errors";
import { loadServerSession, refreshImportedSession, saveServerSession, sessionBoundTo, type StoredImport } from "../../lib/session/store";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

// Secrets as a deployment rotates them: 2 is the new one, 1 the one it replaces.
const OLD_SECRET = randomKey();
embeddedDatabaseForThisFile("para-rotation-", {
  DATA_ENCRYPTION_KEY: `2=${randomKey()},1=${randomKey()}`,
  SESSION_SECRET: `2=${randomKey()},1=${OLD_SECRET}`,
});

const identity = { userId: "user-rotation", authType: "email", identifier: "r@example.com", wallets: [], hasSigners: false };
const imported = (serialized: string) => ({
  path: "import" as const,
  ...identity,
  serialized,
  validatedAt: new Date(),
  expiresAt: new Date(Date.now() + 3_600_000),
});
const load = async (id: string) => (await loadServerSession(id)) as StoredImport | undefined;

describe("key rotation", () => {
  it("a stored session sealed under data key 1 opens once the ring is 2,1, and is sealed under 2 when next stored", async () => {
    const id = await saveServerSession(imported("the-exported-session"));
    const ring = getConfig().dataKeys;
    const underKey1 = seal("the-exported-session", sessionBoundTo(id, identity.userId), { currentId: 1, keys: ring.keys });
    const db = await getDb();
    await db.update(paraSessions).set({ sealedSession: underKey1 }).where(eq(paraSessions.id, id));

    const loaded = await load(id);
    expect(loaded?.serialized).toBe("the-exported-session");
    await refreshImportedSession(loaded!, loaded!.serialized, new Date());
    const [row] = await db.select().from(paraSessions).where(eq(paraSessions.id, id));
    expect(row!.sealedSession).toMatch(/^v1\.2\./);
    expect((await load(id))?.serialized).toBe("the-exported-session");
  });

  it("a row sealed under a data key this instance does not know yet is a 503 to retry, and the row stays", async () => {
    const id = await saveServerSession(imported("from-a-newer-deployment"));
    const db = await getDb();
    // Another instance already seals with key 3, which this one has not been given yet.
    const newer = { currentId: 3, keys: new Map([[3, Buffer.alloc(32, 7)]]) };
    await db
      .update(paraSessions)
      .set({ sealedSession: seal("from-a-newer-deployment", sessionBoundTo(id, identity.userId), newer) })
      .where(eq(paraSessions.id, id));
    const failure = await loadServerSession(id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("service_unavailable");
    expect((failure as AppError).retryAfterSeconds).toBeGreaterThan(0);
    const [row] = await db.select().from(paraSessions).where(eq(paraSessions.id, id));
    expect(row?.sealedSession).toMatch(/^v1\.3\./);
  });

  it("a row sealed under a known key but tampered with does not open (UnsealError)", async () => {
    const id = await saveServerSession(imported("the-exported-session"));
    const db = await getDb();
    const ring = getConfig().dataKeys;
    await db
      .update(paraSessions)
      .set({ sealedSession: seal("the-exported-session", sessionBoundTo(id, "someone-else"), ring) })
      .where(eq(paraSessions.id, id));
    await expect(loadServerSession(id)).rejects.toBeInstanceOf(UnsealError);
  });

  it("a cookie sealed with the previous SESSION_SECRET still opens with the app's options", async () => {
    const sealedWithOld = await sealData({ sid: "abc", path: "import" }, { password: { 1: OLD_SECRET } });
    const { password } = sessionOptions();
    await expect(unsealData(sealedWithOld, { password })).resolves.toEqual({ sid: "abc", path: "import" });
    // A secret the ring never had opens nothing.
    const forged = await sealData({ sid: "abc" }, { password: { 1: randomKey() } });
    await expect(unsealData(forged, { password })).resolves.toEqual({});
  });

  it("opens only a full 16-byte tag and a 12-byte IV", () => {
    const ring = getConfig().dataKeys;
    const sealed = seal("secret", "context", ring);
    const [version, keyId, iv, ciphertext, tag] = sealed.split(".");
    const b64 = (bytes: Buffer) => bytes.toString("base64url");
    const shortTag = [version, keyId, iv, ciphertext, b64(Buffer.from(tag!, "base64url").subarray(0, 4))].join(".");
    const shortIv = [version, keyId, b64(Buffer.from(iv!, "base64url").subarray(0, 8)), ciphertext, tag].join(".");
    expect(() => unseal(shortTag, "context", ring)).toThrow(UnsealError);
    expect(() => unseal(shortIv, "context", ring)).toThrow(UnsealError);
    expect(unseal(sealed, "context", ring)).toBe("secret");
  });
});
