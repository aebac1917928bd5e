import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietSdkLogs } from "../../para-local/testing";
import { getConfig, resetConfigCache } from "../../lib/config";
import { seal, UnsealError } from "../../lib/crypto/envelope";
import { getDb } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { pregenWallets } from "../../lib/db/schema";
import { AppError } from "../../lib/errors";
import { createPregenWallets, withPregenSigner } from "../../lib/wallets/service";
import { openUserShare, shareBoundTo } from "../../lib/wallets/store";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

/**
 * Pregenerated wallets' user shares at rest, on one engine: made by the real server SDK against
 * para-local, stored through lib/wallets, then read back raw. `useEngine` sets DATABASE_URL (or
 * not) before anything reads the configuration.
 */
export function pregenShareAtRest(engine: string, useEngine: () => Promise<void>) {
  quietSdkLogs();
  paraLocalForThisFile();
  const dataDir = mkdtempSync(path.join(tmpdir(), "para-lib-test-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  beforeAll(async () => {
    // Two data keys: 2 seals, 1 is an older one the ring still opens with.
    Object.assign(process.env, {
      PARA_API_KEY: "",
      PARA_DATA_DIR: dataDir,
      DATA_ENCRYPTION_KEY: `2=${randomBytes(32).toString("base64")},1=${randomBytes(32).toString("base64")}`,
      SESSION_SECRET: randomBytes(32).toString("base64"),
    });
    await useEngine();
    await applyMigrations(getConfig().database);
  });

  const unique = () => randomUUID().slice(0, 8);

  /** The whole row as the database holds it, as text. */
  async function rawRow(id: string): Promise<string> {
    const db = await getDb();
    const result = await db.execute(sql`select row_to_json(p)::text as row from pregen_wallets p where id = ${id}`);
    const [row] = (result as unknown as { rows: { row: string }[] }).rows;
    if (!row) throw new Error(`no row ${id}`);
    return row.row;
  }

  const setColumns = async (id: string, values: Partial<typeof pregenWallets.$inferInsert>) =>
    (await getDb()).update(pregenWallets).set(values).where(eq(pregenWallets.id, id));

  describe(`user shares at rest (${engine})`, () => {
    it("the raw row holds no share bytes: not the share, its parts, the signers or the keys in them", async () => {
      const owner = `user-${unique()}`;
      const created = await createPregenWallets(owner, { type: "customId", value: `at-rest-${unique()}` });
      const share = await openUserShare(created.id);
      const row = await rawRow(created.id);

      const secrets = [share, ...secretsInShare(share)];
      expect(secrets.length).toBeGreaterThanOrEqual(7); // the share, 2 wallets × (part, signer, key hex, key base64)
      for (const secret of secrets)
        expect(row.toLowerCase().includes(secret.toLowerCase()), `the row holds ${secret.slice(0, 16)}…`).toBe(false);
      expect(row).not.toMatch(/signer|privateKey/i);

      // What is there: the addresses, and the share sealed under the current key id.
      const parsed = JSON.parse(row) as { sealed_user_share: string; owner_user_id: string; wallets: { address: string }[] };
      expect(parsed.owner_user_id).toBe(owner);
      expect(parsed.wallets.map((w) => w.address)).toEqual(created.wallets.map((w) => w.address));
      expect(parsed.sealed_user_share).toMatch(/^v1\.2\.[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it("the share does not open under another key id, or once the row is moved to another owner, identifier or row", async () => {
      const owner = `user-${unique()}`;
      const created = await createPregenWallets(owner, { type: "customId", value: `bound-${unique()}` });
      const other = await createPregenWallets(owner, { type: "customId", value: `bound-other-${unique()}` });
      const share = await openUserShare(created.id);
      const db = await getDb();
      const [stored] = await db.select().from(pregenWallets).where(eq(pregenWallets.id, created.id));
      const sealed = stored!.sealedUserShare!;

      // Relabeled with key id 1 (a key the ring has): authentication fails.
      await setColumns(created.id, { sealedUserShare: sealed.replace(/^v1\.2\./, "v1.1.") });
      await expect(openUserShare(created.id)).rejects.toThrow(UnsealError);
      // A key id the ring does not have.
      await setColumns(created.id, { sealedUserShare: sealed.replace(/^v1\.2\./, "v1.7.") });
      await expect(openUserShare(created.id)).rejects.toThrow(/no data key with id 7/);
      await setColumns(created.id, { sealedUserShare: sealed });

      // Handed to another owner: it does not open, and the new "owner" cannot sign with it.
      await setColumns(created.id, { ownerUserId: "someone-else" });
      await expect(openUserShare(created.id)).rejects.toThrow(UnsealError);
      let used = false;
      const refused = await withPregenSigner("someone-else", created.id, async () => (used = true)).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe("internal_error");
      expect(used).toBe(false);
      // …while its creator is now refused as a stranger.
      await expect(withPregenSigner(owner, created.id, async () => true)).rejects.toMatchObject({ code: "forbidden" });
      await setColumns(created.id, { ownerUserId: owner });

      // Moved to another identifier.
      await setColumns(created.id, { identifier: "someone-elses-id" });
      await expect(openUserShare(created.id)).rejects.toThrow(UnsealError);
      await setColumns(created.id, { identifier: created.identifier.value });

      // Copied onto another row of the same owner.
      await setColumns(other.id, { sealedUserShare: sealed });
      await expect(openUserShare(other.id)).rejects.toThrow(UnsealError);

      // Put back as it was, it opens: the failures above were the binding, not damage.
      expect(await openUserShare(created.id)).toBe(share);
    });

    it("all owners together may start only PREGEN_GLOBAL_HOURLY_LIMIT sets an hour: then 429, and Para is not asked", async () => {
      const db = await getDb();
      const startedThisHour = async () =>
        Number(
          (
            (await db.execute(
              sql`select count(*)::int as n from pregen_wallets where created_at > now() - interval '1 hour'`,
            )) as unknown as { rows: { n: number }[] }
          ).rows[0]!.n,
        );
      process.env.PREGEN_GLOBAL_HOURLY_LIMIT = String((await startedThisHour()) + 1);
      resetConfigCache();
      try {
        await createPregenWallets(`user-${unique()}`, { type: "customId", value: `global-${unique()}` });
        const before = await startedThisHour();
        await expect(createPregenWallets(`user-${unique()}`, { type: "customId", value: `global-${unique()}` })).rejects.toMatchObject({
          code: "rate_limited",
          message: expect.stringContaining("in an hour"),
        });
        expect(await startedThisHour()).toBe(before);
      } finally {
        delete process.env.PREGEN_GLOBAL_HOURLY_LIMIT;
        resetConfigCache();
      }
    });

    it("a share sealed under the older key 1 still opens, and is sealed again under key 2 when used", async () => {
      const owner = `user-${unique()}`;
      const identifier = { type: "customId" as const, value: `rotated-${unique()}` };
      const created = await createPregenWallets(owner, identifier);
      const share = await openUserShare(created.id);
      const ring = getConfig().dataKeys;
      const underKey1 = seal(share, shareBoundTo(created.id, owner, identifier), { currentId: 1, keys: ring.keys });
      await setColumns(created.id, { sealedUserShare: underKey1 });

      expect(await openUserShare(created.id)).toBe(share);
      const db = await getDb();
      const [row] = await db.select().from(pregenWallets).where(eq(pregenWallets.id, created.id));
      expect(row!.sealedUserShare).toMatch(/^v1\.2\./);
      expect(await openUserShare(created.id)).toBe(share);
    });
  });
}

/** What a `getUserShare()` string is made of: `-`-joined base64 JSON wallets, each with a signer holding a private key. */
function secretsInShare(share: string): string[] {
  return share.split("-").flatMap((part) => {
    const wallet = JSON.parse(Buffer.from(part, "base64").toString("utf8")) as { signer: string };
    const { privateKey } = JSON.parse(wallet.signer) as { privateKey: string };
    return [part, wallet.signer, privateKey, Buffer.from(privateKey, "hex").toString("base64")];
  });
}
