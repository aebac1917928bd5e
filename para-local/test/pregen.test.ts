import { randomUUID } from "node:crypto";
import { ParaSolanaWeb3Signer } from "@getpara/solana-web3.js-v1-integration";
import { createParaAccount } from "@getpara/viem-v2-integration";
import { ed25519 } from "@noble/curves/ed25519.js";
import { Connection } from "@solana/web3.js";
import { recoverMessageAddress } from "viem";
import { describe, expect, it, vi } from "vitest";
import { api, forIntegrations, newParaServer, PARTNER_ID, quietSdkLogs } from "../testing/index.js";

quietSdkLogs();

const unique = () => randomUUID().slice(0, 8);

/** One pregen id per identifier type the SDK looks up (`toPregenTypeAndId`), and the type it maps to. */
const PREGEN_IDS = [
  ["EMAIL", () => ({ email: `pregen-${unique()}@para-local.test` })],
  ["PHONE", () => ({ phone: `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}` as `+${number}` })],
  ["CUSTOM_ID", () => ({ customId: `customer-${unique()}` })],
  ["TWITTER", () => ({ xUsername: `x_${unique()}` })],
  ["DISCORD", () => ({ discordUsername: `discord_${unique()}` })],
  ["TELEGRAM", () => ({ telegramUserId: String(Math.floor(Math.random() * 1e9)) })],
  ["FARCASTER", () => ({ farcasterUsername: `fc-${unique()}` })],
] as const;

describe("pregenerated wallets through the server SDK", () => {
  it.each(PREGEN_IDS)("create, find and list a wallet for a %s identifier", async (identifierType, makeId) => {
    const pregenId = makeId();
    const para = newParaServer();
    expect(await para.hasPregenWallet({ pregenId })).toBe(false);
    const wallet = await para.createPregenWallet({ type: "EVM", pregenId });
    expect(wallet).toMatchObject({
      type: "EVM",
      scheme: "DKLS",
      isPregen: true,
      pregenIdentifierType: identifierType,
      partnerId: PARTNER_ID,
      userId: null,
    });
    expect(wallet.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await para.hasPregenWallet({ pregenId })).toBe(true);
    // A new instance (another request) finds it through the API alone.
    const listed = await newParaServer().getPregenWallets({ pregenId });
    expect(listed.map((w) => [w.id, w.address])).toEqual([[wallet.id, wallet.address]]);
  });

  it("creates GUEST_ID wallets too (the SDK types them for creation only)", async () => {
    const guestId = randomUUID();
    const wallet = await newParaServer().createPregenWallet({ type: "SOLANA", pregenId: { guestId } });
    const listed = await api("GET", `/wallets/pregen?ids[GUEST_ID][0]=${guestId}&expand=false`);
    expect(JSON.parse(listed.text).wallets).toEqual([
      expect.objectContaining({ id: wallet.id, address: wallet.address, pregenIdentifierType: "GUEST_ID" }),
    ]);
  });

  it("refuses a second wallet of the same type for the same identifier (409), allows another type", async () => {
    const pregenId = { email: `dup-${unique()}@para-local.test` };
    const para = newParaServer();
    await para.createPregenWallet({ type: "EVM", pregenId });
    // The worker reports the failure the only way the SDK listens for: its "error" event,
    // which the SDK also prints. Keep that out of the output, but check it happened.
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(newParaServer().createPregenWallet({ type: "EVM", pregenId })).rejects.toThrow(
      /409: a pregenerated EVM wallet already exists/,
    );
    expect(printed).toHaveBeenCalledWith("worker error:", expect.any(Error));
    // The SDK notes the worker's exit a moment later; wait for it before printing resumes.
    await vi.waitFor(() => expect(printed).toHaveBeenCalledWith("worker stopped with exit code 1"));
    printed.mockRestore();
    const solana = await newParaServer().createPregenWallet({ type: "SOLANA", pregenId });
    expect(solana).toMatchObject({ type: "SOLANA", scheme: "ED25519" });
    expect((await newParaServer().getPregenWallets({ pregenId })).map((w) => w.type).sort()).toEqual(["EVM", "SOLANA"]);
  });

  it("updatePregenWalletIdentifier moves the wallet to the new identifier", async () => {
    const before = { customId: `before-${unique()}` };
    const after = { email: `after-${unique()}@para-local.test` };
    const para = newParaServer();
    const wallet = await para.createPregenWallet({ type: "EVM", pregenId: before });
    await para.updatePregenWalletIdentifier({ walletId: wallet.id, newPregenId: after });
    const other = newParaServer();
    expect(await other.hasPregenWallet({ pregenId: before })).toBe(false);
    expect((await other.getPregenWallets({ pregenId: after })).map((w) => w.id)).toEqual([wallet.id]);
  });
});

describe("signing with a stored user share (getUserShare → setUserShare)", () => {
  it("an EVM pregen wallet signs from a new instance, recovering to its address", async () => {
    const creator = newParaServer();
    const wallet = await creator.createPregenWallet({ type: "EVM", pregenId: { customId: `signer-${unique()}` } });
    const share = creator.getUserShare();
    expect(share).toEqual(expect.any(String));

    const signer = newParaServer();
    await signer.setUserShare(share);
    // Not createParaAccount(signer, address): findWalletByAddress only searches currentWalletIds,
    // which a share-only instance has none of; without an address it picks the pregen wallet.
    const account = createParaAccount(forIntegrations(signer));
    expect(account.address).toBe(wallet.address);
    const signature = await account.signMessage({ message: "pregen says hi" });
    expect(await recoverMessageAddress({ message: "pregen says hi", signature })).toBe(wallet.address);
  });

  it("a Solana pregen wallet signs from a new instance, verifying with ed25519", async () => {
    const creator = newParaServer();
    const wallet = await creator.createPregenWallet({ type: "SOLANA", pregenId: { customId: `sol-${unique()}` } });

    const signer = newParaServer();
    await signer.setUserShare(creator.getUserShare());
    const solana = new ParaSolanaWeb3Signer(forIntegrations(signer), new Connection("http://127.0.0.1:9"), wallet.id);
    const message = new TextEncoder().encode("pregen solana");
    const signature = await solana.signBytes(Buffer.from(message));
    expect(ed25519.verify(signature, message, solana.sender!.toBytes())).toBe(true);
  });
});
