import { randomUUID } from "node:crypto";
import { makeSignDoc as makeAminoSignDoc, pubkeyToAddress, serializeSignDoc } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toBech32, toUtf8 } from "@cosmjs/encoding";
import { decodePubkey, decodeTxRaw, makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { base58 } from "@scure/base";
import { SystemInstruction, SystemProgram, Transaction } from "@solana/web3.js";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  type Hex,
  isAddressEqual,
  parseTransaction,
  recoverMessageAddress,
  recoverTransactionAddress,
  type TransactionSerialized,
} from "viem";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  api,
  expireUserSessions,
  failNextSignatures,
  holdNextSignature,
  type MintedSession,
  mintSession,
  newParaServer,
  quietSdkLogs,
  walletOf,
} from "../../para-local/testing";
import { AppClient, type ErrorBody, withoutSigners } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
paraLocalForThisFile();

type Library = "viem" | "ethers" | "cosmjs" | "solana";
type WalletType = "EVM" | "SOLANA" | "COSMOS";

interface SigningResult {
  library: Library;
  mode: "session" | "pregen";
  address: string;
  message: string;
  signature: string;
  signedTransaction: string;
  verified: boolean;
  network: { name: string; chainId: string };
  broadcast: { status: string; message?: string };
}

const LIBRARIES: { library: Library; walletType: WalletType; rpcUrlVariable: string }[] = [
  { library: "viem", walletType: "EVM", rpcUrlVariable: "SEPOLIA_RPC_URL" },
  { library: "ethers", walletType: "EVM", rpcUrlVariable: "SEPOLIA_RPC_URL" },
  { library: "cosmjs", walletType: "COSMOS", rpcUrlVariable: "COSMOS_TESTNET_RPC_URL" },
  { library: "solana", walletType: "SOLANA", rpcUrlVariable: "SOLANA_DEVNET_RPC_URL" },
];

const unique = () => randomUUID().slice(0, 8);

async function signIn(session: string) {
  const client = new AppClient();
  const response = await client.request("POST", "/api/session", { json: { session } });
  expect(response.status, response.text).toBe(200);
  return client;
}

const sign = (client: AppClient, library: string, mode: "session" | "pregen", setId?: string) =>
  client.request<SigningResult & ErrorBody>("POST", `/api/examples/${library}/${mode}`, setId === undefined ? {} : { json: { setId } });

let minted: MintedSession;
let owner: AppClient;
let pregen: { id: string; wallets: { type: WalletType; address: string }[] };

const pregenIdentifier = `signing-${unique()}`;

beforeAll(async () => {
  minted = await mintSession({ email: `signer-${unique()}@example.com` });
  owner = await signIn(minted.session);
  const created = await owner.request<typeof pregen>("POST", "/api/wallets/pregen", {
    json: { identifier: { type: "customId", value: pregenIdentifier } },
  });
  expect(created.status, created.text).toBe(201);
  pregen = created.body;
});

describe.each(["session", "pregen"] as const)("POST /api/examples/[library]/%s", (mode) => {
  const expectedAddress = (type: WalletType) =>
    mode === "session" ? walletOf(minted, type).address : pregen.wallets.find((wallet) => wallet.type === type)!.address;

  it.each(LIBRARIES)(
    "$library signs the server's message and transaction, and both verify independently",
    async ({ library, walletType, rpcUrlVariable }) => {
      const response = await sign(owner, library, mode, mode === "pregen" ? pregen.id : undefined);
      expect(response.status, response.text).toBe(200);
      const result = response.body;
      const address = expectedAddress(walletType);
      expect(result).toMatchObject({ library, mode, address, verified: true });
      expect(result.message).toMatch(/^Para server-side signing demo/);
      // No RPC URL is set for the app under test: nothing left the machine, and the answer says why.
      expect(result.broadcast.status).toBe("not_broadcast");
      expect(result.broadcast.message).toContain(rpcUrlVariable);
      await VERIFY[walletType](result, address);
    },
  );
});

describe("a session in the three-wallet layout of older SDKs (one wallet per type)", () => {
  let older: MintedSession;
  let client: AppClient;
  beforeAll(async () => {
    older = await mintSession({ email: `older-${unique()}@example.com`, layout: "per-type" });
    client = await signIn(older.session);
  });

  it.each(LIBRARIES)("$library signs with the wallet of its own type", async ({ library, walletType }) => {
    const response = await sign(client, library, "session");
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ library, address: walletOf(older, walletType).address, verified: true });
    await VERIFY[walletType](response.body, walletOf(older, walletType).address);
  });
});

describe("a signature Para holds for approval (a policy or transaction review)", () => {
  /** The Para wallet that signs for `type` in `mode`: pregen wallet ids are Para's, looked up as the partner. */
  async function paraWalletId(mode: "session" | "pregen", type: WalletType): Promise<string> {
    if (mode === "session") return walletOf(minted, type).id;
    const { wallets } = JSON.parse(
      (await api("GET", `/wallets/pregen?ids[CUSTOM_ID][0]=${encodeURIComponent(pregenIdentifier)}`)).text,
    ) as { wallets: { id: string; scheme: string }[] };
    return wallets.find((wallet) => wallet.scheme === (type === "SOLANA" ? "ED25519" : "DKLS"))!.id;
  }

  describe.each(["session", "pregen"] as const)("%s", (mode) => {
    it.each(LIBRARIES)(
      "$library: 409 approval_required with the pending transaction's id; the next signature goes through",
      async ({ library, walletType }) => {
        await holdNextSignature(await paraWalletId(mode, walletType));
        const held = await sign(owner, library, mode, mode === "pregen" ? pregen.id : undefined);
        expect(held.status, held.text).toBe(409);
        expect(held.body.error.code).toBe("approval_required");
        expect(held.body.error.message).toMatch(/approved/);
        expect(held.body.error.details?.pendingTransactionId).toMatch(/^[0-9a-f-]{36}$/);
        const next = await sign(owner, library, mode, mode === "pregen" ? pregen.id : undefined);
        expect(next.status, next.text).toBe(200);
      },
    );
  });
});

/** Checks each answer with other code than the app's: recover the signer, decode the transaction, compare with the wallet. */
const VERIFY: Record<WalletType, (result: SigningResult, address: string) => Promise<void>> = {
  async EVM(result, address) {
    expect(await recoverMessageAddress({ message: result.message, signature: result.signature as Hex })).toBe(address);
    const serializedTransaction = result.signedTransaction as TransactionSerialized<"eip1559">;
    const transaction = parseTransaction(serializedTransaction);
    expect(transaction).toMatchObject({ type: "eip1559", chainId: 11155111, value: 1_000_000_000n, gas: 21_000n });
    expect(isAddressEqual(transaction.to!, address as Hex)).toBe(true); // a self-transfer
    expect(await recoverTransactionAddress({ serializedTransaction })).toBe(address);
  },

  async SOLANA(result, address) {
    const owner = base58.decode(address);
    expect(ed25519.verify(base58.decode(result.signature), toUtf8(result.message), owner)).toBe(true);
    const transaction = Transaction.from(Buffer.from(result.signedTransaction, "base64"));
    expect(transaction.verifySignatures()).toBe(true);
    expect(transaction.feePayer?.toBase58()).toBe(address);
    expect(ed25519.verify(transaction.signatures[0]!.signature!, transaction.serializeMessage(), owner)).toBe(true);
    const [instruction] = transaction.instructions;
    expect(instruction!.programId.equals(SystemProgram.programId)).toBe(true);
    const transfer = SystemInstruction.decodeTransfer(instruction!);
    expect([transfer.fromPubkey.toBase58(), transfer.toPubkey.toBase58(), transfer.lamports]).toEqual([address, address, 1000n]);
  },

  async COSMOS(result, address) {
    // The message: ADR-36 (Keplr's signArbitrary). A Cosmos signature carries no recovery id: try both and derive the address.
    const adr36 = makeAminoSignDoc(
      [{ type: "sign/MsgSignData", value: { signer: address, data: toBase64(toUtf8(result.message)) } }],
      { gas: "0", amount: [] },
      "",
      "",
      0,
      0,
    );
    const digest = nobleSha256(serializeSignDoc(adr36));
    const signature = fromBase64(result.signature);
    const recovered = [0, 1].flatMap((bit) => {
      try {
        return [cosmosAddressOf(secp256k1.recoverPublicKey(Uint8Array.of(bit, ...signature), digest, { prehash: false }))];
      } catch {
        return [];
      }
    });
    expect(recovered).toContain(address);

    // The transaction: the signer's key names the wallet, and its signature covers this body and auth info.
    const bytes = fromBase64(result.signedTransaction);
    const transaction = decodeTxRaw(bytes);
    const pubkey = decodePubkey(transaction.authInfo.signerInfos[0]!.publicKey!);
    expect(pubkeyToAddress(pubkey, "cosmos")).toBe(address);
    const [message] = transaction.body.messages;
    expect(message!.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    const send = MsgSend.decode(message!.value);
    expect([send.fromAddress, send.toAddress, send.amount]).toEqual([address, address, [{ denom: "uatom", amount: "1" }]]);
    const raw = TxRaw.decode(bytes);
    const signBytes = makeSignBytes(makeSignDoc(raw.bodyBytes, raw.authInfoBytes, "provider", 0));
    const valid = await Secp256k1.verifySignature(
      Secp256k1Signature.fromFixedLength(transaction.signatures[0]!),
      sha256(signBytes),
      fromBase64(pubkey.value as string),
    );
    expect(valid).toBe(true);
  },
};

function cosmosAddressOf(compressedPublicKey: Uint8Array): string {
  return toBech32("cosmos", ripemd160(nobleSha256(compressedPublicKey)));
}

describe("isolation", () => {
  it("eight users signing at once each get their own wallet's signatures", async () => {
    const users = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const user = await mintSession({ email: `parallel-${i}-${unique()}@example.com` });
        const client = await signIn(user.session);
        const created = await client.request<typeof pregen>("POST", "/api/wallets/pregen", {
          json: { identifier: { type: "customId", value: `parallel-${i}-${unique()}` } },
        });
        expect(created.status, created.text).toBe(201);
        return { user, client, set: created.body };
      }),
    );
    const answers = await Promise.all(
      users.flatMap(({ client, set }) => [sign(client, "viem", "session"), sign(client, "solana", "pregen", set.id)]),
    );
    users.forEach(({ user, set }, i) => {
      const [bySession, byPregen] = [answers[2 * i]!, answers[2 * i + 1]!];
      expect(bySession.status, bySession.text).toBe(200);
      expect(bySession.body.address).toBe(walletOf(user, "EVM").address);
      expect(byPregen.status, byPregen.text).toBe(200);
      expect(byPregen.body.address).toBe(set.wallets.find((wallet) => wallet.type === "SOLANA")!.address);
    });
  });
});

describe("refusals", () => {
  it("an unknown library → 404 on both paths", async () => {
    for (const mode of ["session", "pregen"] as const) {
      const response = await sign(owner, "web3js", mode, mode === "pregen" ? pregen.id : undefined);
      expect(response.status, response.text).toBe(404);
      expect(response.body.error.code).toBe("not_found");
      expect(response.body.error.message).toContain("viem");
    }
  });

  it("the smart-account recipe without a bundler configured → 501 not_configured, saying how to get one", async () => {
    for (const mode of ["session", "pregen"] as const) {
      const response = await owner.request<ErrorBody>(
        "POST",
        `/api/examples/smart-account/${mode}`,
        mode === "pregen" ? { json: { setId: pregen.id } } : {},
      );
      expect(response.status, response.text).toBe(501);
      expect(response.body.error.code).toBe("not_configured");
      expect(response.body.error.message).toMatch(/npm run chain/);
    }
  });

  it("the session path without a session → 401", async () => {
    const response = await sign(new AppClient(), "viem", "session");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  it("a session sent without signers → 409 asking to send it with signers", async () => {
    const user = await mintSession({ email: `no-signers-${unique()}@example.com` });
    const client = await signIn(withoutSigners(user.session));
    const response = await sign(client, "viem", "session");
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("signers_required");
    expect(response.body.error.message).toMatch(/with signers/);
  });

  it("a session verified by token only → 409 session_not_imported", async () => {
    const user = await mintSession({ email: `token-${unique()}@example.com` });
    const para = newParaServer();
    await para.importSession(user.session);
    const client = new AppClient();
    expect(
      (await client.request("POST", "/api/session/verify", { json: { verificationToken: await para.getVerificationToken() } })).status,
    ).toBe(200);
    const response = await sign(client, "solana", "session");
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("session_not_imported");
  });

  it("a session Para has ended → 401 session_expired, and nothing is signed", async () => {
    const user = await mintSession({ email: `ended-${unique()}@example.com` });
    const client = await signIn(user.session);
    await expireUserSessions(user.userId);
    const response = await sign(client, "ethers", "session");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("session_expired");
  });

  it("another user's pregenerated wallet → 403, on every library", async () => {
    const other = await signIn((await mintSession({ email: `other-${unique()}@example.com` })).session);
    for (const { library } of LIBRARIES) {
      const response = await sign(other, library, "pregen", pregen.id);
      expect(response.status, `${library}: ${response.text}`).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
    }
  });

  it("the pregen path: no session → 401, unknown set → 404, no setId → 400", async () => {
    const anonymous = await sign(new AppClient(), "viem", "pregen", pregen.id);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "unauthorized"]);
    const unknown = await sign(owner, "viem", "pregen", "no-such-set");
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    const missing = await owner.request<ErrorBody>("POST", "/api/examples/viem/pregen", { json: {} });
    expect([missing.status, missing.body.error.code]).toEqual([400, "bad_request"]);
    expect(missing.body.error.message).toContain("setId");
  });

  it("a client-supplied transaction is not signed: extra body fields change nothing", async () => {
    const response = await owner.request<SigningResult>("POST", "/api/examples/viem/pregen", {
      json: { setId: pregen.id, transaction: { to: "0x000000000000000000000000000000000000dEaD", value: "1000000000000000000" } },
    });
    expect(response.status, response.text).toBe(200);
    const transaction = parseTransaction(response.body.signedTransaction as TransactionSerialized<"eip1559">);
    expect(isAddressEqual(transaction.to!, response.body.address as Hex)).toBe(true);
    expect(transaction.value).toBe(1_000_000_000n);
  });
});

describe("a signature Para fails once", () => {
  it("is retried by the signing worker and succeeds; the worker's error print reaches the log with no secret in it", async () => {
    const user = await mintSession({ email: `retry-${unique()}@example.com` });
    const client = await signIn(user.session);
    await failNextSignatures(1);
    const signed = await client.request<SigningResult>("POST", "/api/examples/viem/session");
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.verified).toBe(true);

    // The worker printed the failed request as Para's does (its headers included): it must arrive redacted.
    const log = () => readFileSync(inject("appLog"), "utf8");
    await expect.poll(() => log().includes("Operation failed (attempt 1/2)"), { timeout: 10_000 }).toBe(true);
    const cookieValue = user.sessionCookie.split(";")[0]!.split("=").slice(1).join("=");
    expect(log()).not.toContain(cookieValue);
    expect(log()).not.toContain("para-local-key");
    expect(log()).toContain("x-capsule-sid': '[redacted]");
  });
});
