import "server-only";
import { makeSignDoc as makeAminoSignDoc, pubkeyToAddress, serializeSignDoc, type StdSignDoc } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toUtf8 } from "@cosmjs/encoding";
import { decodePubkey, decodeTxRaw, makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { coins, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { ParaAminoSigner, ParaProtoSigner } from "@getpara/cosmjs-v0-integration";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { callPara } from "../para/call";
import { assertSameWallet, assertVerified } from "./checks";
import { DEMO_AMOUNT } from "./demo";
import { broadcastSigned, chainValues, COSMOS_TESTNET, networkView } from "./networks";
import type { IntegrationPara, Recipe, SigningWallet } from "./types";

/** Account number and sequence: from the chain when an RPC URL is set, else a fresh account's. */
const DEMO_ACCOUNT = { accountNumber: 0, sequence: 0 };
const FEE = { amount: coins(5_000, COSMOS_TESTNET.denom), gas: "200000" };

/**
 * CosmJS through `@getpara/cosmjs-v0-integration`: `ParaProtoSigner` (SIGN_MODE_DIRECT) signs the
 * transaction through `SigningStargateClient`, `ParaAminoSigner` signs the message as ADR-36
 * arbitrary data, the way Keplr's `signArbitrary` does.
 */
export const cosmjsRecipe: Recipe = {
  library: "cosmjs",
  walletType: "COSMOS",
  async signMessage(para, wallet, message) {
    const { prefix } = COSMOS_TESTNET;
    const { address, pubkey } = await accountOf(para, wallet);
    const adr36 = arbitraryDataSignDoc(address, message);
    const amino = new ParaAminoSigner(para, prefix, wallet.id);
    const { signature: messageSignature } = await callPara("signMessage", () => retryLeadingZero(() => amino.signAmino(address, adr36)));
    assertVerified(
      pubkeyToAddress(messageSignature.pub_key, prefix) === address &&
        (await verifySecp256k1(fromBase64(messageSignature.signature), serializeSignDoc(adr36), pubkey)),
      "message signature",
    );
    return { address, message, signature: messageSignature.signature };
  },
  async signTransaction(para, wallet) {
    const { chainId } = COSMOS_TESTNET;
    const { direct, address } = await accountOf(para, wallet);
    const chain = await chainValues(COSMOS_TESTNET, DEMO_ACCOUNT, async (rpcUrl) => {
      const client = await StargateClient.connect(rpcUrl);
      try {
        const onChain = await client.getAccount(address);
        if (!onChain) throw new Error("the account does not exist on chain yet (fund it first)");
        return { accountNumber: onChain.accountNumber, sequence: onChain.sequence };
      } finally {
        client.disconnect();
      }
    });
    const client = await SigningStargateClient.offline(direct);
    const send = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: { fromAddress: address, toAddress: address, amount: coins(DEMO_AMOUNT.uatom, COSMOS_TESTNET.denom) },
    };
    const txRaw = await callPara("signTransaction", () =>
      retryLeadingZero(() => client.sign(address, [send], FEE, "Para server-side signing demo", { chainId, ...chain.values })),
    );
    const signedTransaction = TxRaw.encode(txRaw).finish();
    assertVerified(await signedBy(signedTransaction, address, chain.values.accountNumber), "transaction signature");

    const broadcast = await broadcastSigned(COSMOS_TESTNET, chain, async (rpcUrl) => {
      const sender = await StargateClient.connect(rpcUrl);
      try {
        return await sender.broadcastTxSync(signedTransaction);
      } finally {
        sender.disconnect();
      }
    });
    return { address, signedTransaction: toBase64(signedTransaction), network: networkView(COSMOS_TESTNET), broadcast };
  },
};

async function accountOf(para: IntegrationPara, wallet: SigningWallet) {
  const direct = new ParaProtoSigner(para, COSMOS_TESTNET.prefix, wallet.id);
  const [account] = await direct.getAccounts();
  assertSameWallet(account?.address === wallet.address);
  return { direct, address: account!.address, pubkey: account!.pubkey };
}

/** ADR-36: arbitrary bytes wrapped in an amino sign doc with an empty chain id, zero account and fee. */
function arbitraryDataSignDoc(signer: string, data: string): StdSignDoc {
  return makeAminoSignDoc(
    [{ type: "sign/MsgSignData", value: { signer, data: toBase64(toUtf8(data)) } }],
    { gas: "0", amount: [] },
    "",
    "",
    0,
    0,
  );
}

/** Decodes a signed TxRaw and checks that its only signature is `address`'s key over its own body and auth info. */
async function signedBy(bytes: Uint8Array, address: string, accountNumber: number): Promise<boolean> {
  const tx = decodeTxRaw(bytes);
  const signerPubkey = tx.authInfo.signerInfos[0]?.publicKey;
  const [signature] = tx.signatures;
  if (tx.signatures.length !== 1 || !signerPubkey || !signature) return false;
  const pubkey = decodePubkey(signerPubkey);
  if (pubkeyToAddress(pubkey, COSMOS_TESTNET.prefix) !== address) return false;
  const raw = TxRaw.decode(bytes);
  const signDoc = makeSignDoc(raw.bodyBytes, raw.authInfoBytes, COSMOS_TESTNET.chainId, accountNumber);
  return verifySecp256k1(signature, makeSignBytes(signDoc), fromBase64(pubkey.value as string));
}

async function verifySecp256k1(signature: Uint8Array, signedBytes: Uint8Array, pubkey: Uint8Array): Promise<boolean> {
  return Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(signature), sha256(signedBytes), pubkey);
}

/**
 * The integration rebuilds Para's signature with cosmjs's ExtendedSecp256k1Signature, which
 * throws when r or s starts with a zero byte (about one signature in 128, with Para's MPC too).
 * Any other signature of the same bytes is as good: sign once more.
 */
async function retryLeadingZero<T>(sign: () => Promise<T>): Promise<T> {
  try {
    return await sign();
  } catch (error) {
    if (error instanceof Error && /must be encoded as unpadded big endian/.test(error.message)) return sign();
    throw error;
  }
}
