// The contract para-local is held to, written once and run against any Para: para-local on every
// `npm test` (para-local/test/contract.test.ts), and Para's SANDBOX when a team has a key
// (`npm run test:sandbox`, tests/sandbox/contract.test.ts). A check that passes on one and fails
// on the other is a place where para-local is not Para.
import { pubkeyToAddress, makeSignDoc as makeAminoSignDoc, serializeSignDoc } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { ParaAminoSigner } from "@getpara/cosmjs-v0-integration";
import type ParaCore from "@getpara/core-sdk";
import { Environment, Para as ParaServer } from "@getpara/server-sdk";
import { ParaSolanaWeb3Signer } from "@getpara/solana-web3.js-v1-integration";
import { createParaAccount } from "@getpara/viem-v2-integration";
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58 } from "@scure/base";
import { Connection } from "@solana/web3.js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { getAddress, recoverMessageAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";

export interface ContractTarget {
  /** Shown in the test names: "para-local" or "Para SANDBOX". */
  name: string;
  environment: "DEV" | "SANDBOX" | "BETA" | "PROD";
  apiKey: string;
  /** The API's base URL, for the endpoints a partner's server calls itself (`/sessions/verify`, the JWKS). */
  apiBase: string;
  /**
   * A session exported (with signers) by a browser signed in to this environment, for the
   * session checks; they are skipped without one.
   */
  exportedSession?: () => Promise<string | undefined>;
}

/** Para's shares are about 3.3 KB (DKLS) and 0.5 KB (ed25519); para-local pads its signers to those lengths. */
const SIGNER_LENGTH = { DKLS: [2_000, 5_000], ED25519: [300, 1_000] } as const;
const NO_RPC = "http://127.0.0.1:9";

const forIntegrations = (para: ParaServer) => para as unknown as ParaCore;

/** Registers the contract checks against `target`. */
export function paraContract(target: ContractTarget): void {
  const instance = () => new ParaServer(Environment[target.environment], target.apiKey, { disableWebSockets: true });

  describe(`the Para contract, against ${target.name}`, () => {
    it("an instance with nothing imported is not signed in", async () => {
      expect(await instance().isSessionActive()).toBe(false);
    });

    describe("pregenerated wallets", () => {
      const customId = `contract-${crypto.randomUUID()}`;
      let creator: ParaServer;
      let created: { id: string; type?: string; scheme?: string; address?: string; publicKey?: string }[];

      beforeAll(async () => {
        creator = instance();
        created = await creator.createPregenWalletPerType({ pregenId: { customId }, types: ["EVM", "SOLANA", "COSMOS"] });
      });

      it("one wallet per scheme: a DKLS wallet serving EVM and Cosmos, an ED25519 wallet for Solana", () => {
        expect(created.map((wallet) => wallet.scheme).sort()).toEqual(["DKLS", "ED25519"]);
      });

      it("addresses and keys in the formats the integrations read", () => {
        const dkls = created.find((wallet) => wallet.scheme === "DKLS")!;
        expect(dkls.publicKey).toMatch(/^0x04[0-9a-f]{128}$/);
        expect(dkls.address).toBe(getAddress(dkls.address!)); // EIP-55 checksummed
        expect(publicKeyToAddress(dkls.publicKey as `0x${string}`)).toBe(dkls.address);
        expect(creator.getDisplayAddress(dkls.id, { addressType: "COSMOS", cosmosPrefix: "cosmos" })).toMatch(
          /^cosmos1[02-9ac-hj-np-z]{38}$/,
        );
        const solana = created.find((wallet) => wallet.scheme === "ED25519")!;
        expect(base58.decode(solana.address!)).toHaveLength(32);
      });

      it("signers of Para's size", () => {
        for (const wallet of created) {
          const signer = (creator.wallets[wallet.id] as { signer?: string }).signer ?? "";
          const [min, max] = SIGNER_LENGTH[wallet.scheme as keyof typeof SIGNER_LENGTH];
          expect(signer.length, `${wallet.scheme} signer`).toBeGreaterThanOrEqual(min);
          expect(signer.length, `${wallet.scheme} signer`).toBeLessThanOrEqual(max);
        }
      });

      it("the user share moves to a new instance, which signs with viem, Solana web3.js and cosmjs", async () => {
        const signer = instance();
        await signer.setUserShare(creator.getUserShare()!);
        const dkls = created.find((wallet) => wallet.scheme === "DKLS")!;
        const solana = created.find((wallet) => wallet.scheme === "ED25519")!;

        const account = createParaAccount(forIntegrations(signer));
        const signature = await account.signMessage({ message: "contract" });
        expect(await recoverMessageAddress({ message: "contract", signature })).toBe(dkls.address);

        const bytes = new TextEncoder().encode("contract");
        const solanaSignature = await new ParaSolanaWeb3Signer(forIntegrations(signer), new Connection(NO_RPC)).signBytes(
          Buffer.from(bytes),
        );
        expect(ed25519.verify(solanaSignature, bytes, base58.decode(solana.address!))).toBe(true);

        const amino = new ParaAminoSigner(forIntegrations(signer), "cosmos");
        const [cosmos] = await amino.getAccounts();
        const signDoc = makeAminoSignDoc([], { amount: [], gas: "0" }, "contract-1", "", 0, 0);
        const signed = await amino.signAmino(cosmos!.address, signDoc);
        expect(pubkeyToAddress(signed.signature.pub_key, "cosmos")).toBe(cosmos!.address);
        const valid = await Secp256k1.verifySignature(
          Secp256k1Signature.fromFixedLength(fromBase64(signed.signature.signature)),
          sha256(serializeSignDoc(signDoc)),
          cosmos!.pubkey,
        );
        expect(valid).toBe(true);
      });
      // Last: the refused creation fails a worker job, which ends the SDK's worker (see lib/para/server.ts).
      it("the identifier is taken: hasPregenWallet says so, and a second creation is refused", async () => {
        expect(await instance().hasPregenWallet({ pregenId: { customId } })).toBe(true);
        // A second wallet of a type it has (SDK 2.18 types the DKLS wallet COSMOS when the partner requires Cosmos).
        const type = created.find((wallet) => wallet.scheme === "DKLS")!.type as "EVM" | "COSMOS";
        await expect(instance().createPregenWallet({ type, pregenId: { customId } })).rejects.toThrow();
      });
    });

    describe("the endpoints a partner's server calls", () => {
      const verify = (body: unknown, headers: Record<string, string>) =>
        fetch(new URL("sessions/verify", target.apiBase), {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(body),
        });

      it("/sessions/verify: a token Para never issued is 403; no partner key is 401", async () => {
        expect((await verify({ verificationToken: crypto.randomUUID() }, { "x-partner-id": target.apiKey })).status).toBe(403);
        expect((await verify({ verificationToken: crypto.randomUUID() }, {})).status).toBe(401);
      });

      it("the JWKS publishes RS256 signing keys with ids", async () => {
        const response = await fetch(new URL(".well-known/jwks.json", target.apiBase));
        expect(response.status).toBe(200);
        const { keys } = (await response.json()) as { keys: { kty: string; alg?: string; kid?: string }[] };
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect(key).toMatchObject({ kty: "RSA", alg: "RS256", kid: expect.any(String) });
      });
    });

    describe("an exported session (with signers)", () => {
      let exported: string | undefined;
      beforeAll(async () => {
        exported = await target.exportedSession?.();
        if (!exported) console.log(`[contract] ${target.name}: no exported session given, the session checks are skipped`);
      });

      it("imports, is active, names its user in /touch and in a JWT that verifies against the JWKS", async (context) => {
        if (!exported) return context.skip();
        const para = instance();
        await para.importSession(exported);
        expect(await para.isSessionActive()).toBe(true);
        const touched = await para.touchSession();
        expect(touched.userId).toBe(para.userId);
        const { token } = await para.issueJwt();
        const jwks = createRemoteJWKSet(new URL(".well-known/jwks.json", target.apiBase));
        const { payload } = await jwtVerify(token, jwks, { algorithms: ["RS256"] });
        expect(payload.sub).toBe(para.userId);
        expect(payload).toMatchObject({ data: { userId: para.userId, authType: expect.any(String), identifier: expect.any(String) } });
        expect(await para.keepSessionAlive()).toBe(true);
      });

      it("its verification token verifies to the user's identity at /sessions/verify", async (context) => {
        if (!exported) return context.skip();
        const para = instance();
        await para.importSession(exported);
        const response = await fetch(new URL("sessions/verify", target.apiBase), {
          method: "POST",
          headers: { "content-type": "application/json", "x-partner-id": target.apiKey },
          body: JSON.stringify({ verificationToken: await para.getVerificationToken() }),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ authType: para.authInfo?.authType, identifier: para.authInfo?.identifier });
      });
    });
  });
}
