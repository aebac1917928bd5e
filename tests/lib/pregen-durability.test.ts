import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../../lib/db/client";
import { pregenWallets } from "../../lib/db/schema";
import { AppError } from "../../lib/errors";
import { createPregenWallets, withPregenSigner } from "../../lib/wallets/service";
import { openUserShare } from "../../lib/wallets/store";
import { delayRequests, newParaServer, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { embeddedDatabaseForThisFile, randomKey } from "./embedded-database";

// The share of wallets Para has made is stored before anything is given up. The database refuses
// the sealed write (a trigger answers as a full disk does, SQLSTATE 53100) a given number of times:
// the write is tried again, and a share that cannot be stored leaves a row an operator can see,
// which keeps the identifier. In time (Para answers at once) and late (PARA_TIMEOUT_MS 3 s here;
// para-local holds the creation 4.5 s). tests/app/pregen-durability.test.ts stops a real Postgres.

quietSdkLogs();
paraLocalForThisFile();
embeddedDatabaseForThisFile("para-pregen-durability-", {
  DATA_ENCRYPTION_KEY: randomKey(),
  SESSION_SECRET: randomKey(),
  PARA_TIMEOUT_MS: "3000",
});

const unique = () => randomBytes(6).toString("hex");
const identifierFor = (name: string) => ({ type: "customId" as const, value: `${name}-${unique()}` });

beforeAll(async () => {
  const db = await getDb();
  await db.execute(sql`create sequence share_writes`);
  await db.execute(sql`create table share_write_faults (failures bigint not null)`);
  await db.execute(sql`insert into share_write_faults values (0)`);
  // Counts every write of a share (a sequence is not rolled back with the refused statement) and refuses the first `failures`.
  await db.execute(sql`
    create function refuse_share_writes() returns trigger language plpgsql as $$
    begin
      if new.sealed_user_share is not null and nextval('share_writes') <= (select failures from share_write_faults) then
        raise exception 'could not extend file: No space left on device' using errcode = '53100';
      end if;
      return new;
    end $$`);
  await db.execute(
    sql`create trigger refuse_share_writes before update on pregen_wallets for each row execute function refuse_share_writes()`,
  );
});

/** From now on the next `failures` share writes are refused. */
async function refuseShareWrites(failures: number) {
  const db = await getDb();
  await db.execute(sql`alter sequence share_writes restart`);
  await db.execute(sql`update share_write_faults set failures = ${failures}`);
}
afterEach(() => refuseShareWrites(0));

/** Share writes tried since the last `refuseShareWrites`. */
async function shareWritesTried(): Promise<number> {
  const result = (await (await getDb()).execute(sql`select last_value, is_called from share_writes`)) as unknown as {
    rows: { last_value: string | number; is_called: boolean }[];
  };
  const [row] = result.rows;
  return row!.is_called ? Number(row!.last_value) : 0;
}

const rowOf = async (id: string) => (await (await getDb()).select().from(pregenWallets).where(eq(pregenWallets.id, id)))[0];

/** What para-local holds for the identifier: the wallets Para made. */
const atPara = (value: string) => newParaServer().getPregenWallets({ pregenId: { customId: value } });

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("it succeeded"),
    (error: unknown) => error as AppError,
  );

/** Keeps what the app writes to stderr (where lib/log.ts puts errors) until `restore`, still printing it. */
function captureStderr() {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array) => boolean;
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return write(chunk);
  });
  return { text: () => chunks.join(""), restore: () => spy.mockRestore() };
}

/** Neither a share, its parts or keys, nor the sealed form of one. */
const SECRET_IN_LOG = /para-local-signer|privateKey|"signer"|userShare|v1\.\d+\.[\w-]+\.[\w-]+/;

/** The row marks the set unstored and holds what Para made (ids, addresses), never a share. */
async function expectUnstored(id: string, identifierValue: string) {
  const row = (await rowOf(id))!;
  expect(row.status).toBe("unstored");
  expect(row.sealedUserShare).toBeNull();
  const made = await atPara(identifierValue);
  expect(made).toHaveLength(2);
  expect(new Set(row.wallets.map((wallet) => wallet.paraWalletId))).toEqual(new Set(made.map((wallet) => wallet.id)));
  expect(row.wallets.map((wallet) => wallet.type)).toEqual(["EVM", "SOLANA", "COSMOS"]);
  for (const wallet of made) expect(row.wallets.map((stored) => stored.address)).toContain(wallet.address);
  return { row, made };
}

/** The one log line an operator finds by the set's id: it names Para's wallets too. */
function expectLoggedUnstored(log: string, id: string, made: { id: string }[]) {
  const line = log.split("\n").find((candidate) => candidate.includes(id) && candidate.includes("marked unstored"));
  expect(line, log).toBeDefined();
  for (const wallet of made) expect(line).toContain(wallet.id);
  expect(log).not.toMatch(SECRET_IN_LOG);
}

describe("the share of wallets Para made, in time", () => {
  it("a write the database refuses at first is tried again: the set is stored whole and signs", async () => {
    await refuseShareWrites(2);
    const owner = `user-${unique()}`;
    const created = await createPregenWallets(owner, identifierFor("retried"));
    expect(await shareWritesTried()).toBe(3);
    expect((await rowOf(created.id))?.status).toBe("ready");
    expect((await openUserShare(created.id)).split("-")).toHaveLength(2); // the secp256k1 and the ed25519 wallet
    const held = await withPregenSigner(owner, created.id, async (para) => Object.keys(para.getWallets()).sort());
    expect(held).toEqual((await atPara(created.identifier.value)).map((wallet) => wallet.id).sort());
  });

  it("a share that cannot be stored: 503 with the set's id, the row marked unstored with Para's wallets, logged, and the identifier kept even once stale", async () => {
    await refuseShareWrites(Number.MAX_SAFE_INTEGER);
    const owner = `user-${unique()}`;
    const identifier = identifierFor("unstored");
    const stderr = captureStderr();
    const error = await failureOf(createPregenWallets(owner, identifier)).finally(stderr.restore);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(error.message).toMatch(/could not store their key share/);
    expect(error.message).toMatch(/asking again will be refused/);
    const id = error.details!.setId!;
    expect(await shareWritesTried()).toBeGreaterThan(3);
    const { row, made } = await expectUnstored(id, identifier.value);
    expect(row.ownerUserId).toBe(owner);
    expectLoggedUnstored(stderr.text(), id, made);

    // Neither another owner nor, once the row is long past any reservation's life, anyone else gets the identifier.
    await refuseShareWrites(0);
    await (
      await getDb()
    )
      .update(pregenWallets)
      .set({ createdAt: new Date(Date.now() - 24 * 60 * 60 * 1000) })
      .where(eq(pregenWallets.id, id));
    await expect(createPregenWallets(`user-${unique()}`, identifier)).rejects.toMatchObject({ code: "conflict" });
    expect((await rowOf(id))?.status).toBe("unstored");
  });
});

describe("the share of wallets Para made after the time limit", () => {
  it("answered 504; a write the database refuses is tried again, and the set is stored once it takes it", async () => {
    await refuseShareWrites(Number.MAX_SAFE_INTEGER);
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: 4_500 });
    const timedOut = await failureOf(createPregenWallets(`user-${unique()}`, identifierFor("late-retried")));
    expect(timedOut).toMatchObject({ code: "upstream_timeout" });
    const id = timedOut.details!.setId!;

    // Para answers, the write is refused and tried again; then the database takes it.
    await expect.poll(shareWritesTried, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    expect((await rowOf(id))?.status).toBe("creating");
    await refuseShareWrites(0);
    await expect.poll(async () => (await rowOf(id))?.status, { timeout: 15_000, interval: 100 }).toBe("ready");
    expect((await openUserShare(id)).split("-")).toHaveLength(2);
  });

  it("answered 504; a share that cannot be stored leaves the row unstored with Para's wallets, and a log line naming it", async () => {
    await refuseShareWrites(Number.MAX_SAFE_INTEGER);
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: 4_500 });
    const identifier = identifierFor("late-unstored");
    const stderr = captureStderr();
    try {
      const timedOut = await failureOf(createPregenWallets(`user-${unique()}`, identifier));
      expect(timedOut).toMatchObject({ code: "upstream_timeout" });
      const id = timedOut.details!.setId!;
      // ≈ 16 s of tries at the share, then the mark.
      await expect.poll(async () => (await rowOf(id))?.status, { timeout: 40_000, interval: 250 }).toBe("unstored");
      const { made } = await expectUnstored(id, identifier.value);
      await expect.poll(() => stderr.text().includes("marked unstored")).toBe(true);
      expectLoggedUnstored(stderr.text(), id, made);
    } finally {
      stderr.restore();
    }
  });
});
