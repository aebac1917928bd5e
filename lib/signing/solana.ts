import "server-only";
import { ParaSolanaWeb3Signer } from "@getpara/solana-web3.js-v1-integration";
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58 } from "@scure/base";
import { Connection, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { callPara } from "../para/call";
import { assertSameWallet, assertVerified } from "./checks";
import { DEMO_AMOUNT } from "./demo";
import { broadcastSigned, chainValues, networkView, SOLANA_DEVNET } from "./networks";
import type { IntegrationPara, Recipe, SigningWallet } from "./types";

/**
 * A fixed stand-in for a recent blockhash (base58 of 32 bytes) when no RPC URL is set. The
 * transaction is then valid in form and signature, but no cluster would accept it.
 */
const DEMO_BLOCKHASH = "GxscdZnAnaKqHdLVujQywU7DCYBUGdEAaU2Q3s15fNKc"; // base58(sha256("para demo blockhash"))

/**
 * The signer needs a Connection only to fetch a blockhash or send, and this recipe does neither
 * through it: the transaction carries its blockhash, and broadcasting uses its own connection.
 * A closed local port makes sure nothing leaves the machine by accident.
 */
const UNUSED_CONNECTION_URL = "http://127.0.0.1:9";

/** @solana/web3.js v1 through `@getpara/solana-web3.js-v1-integration`: `ParaSolanaWeb3Signer`. */
export const solanaRecipe: Recipe = {
  library: "solana",
  walletType: "SOLANA",
  async signMessage(para, wallet, message) {
    const signer = signerOf(para, wallet);
    // Solana signs the message bytes themselves (ed25519, no hashing, no prefix).
    const messageBytes = new TextEncoder().encode(message);
    const signature = await callPara("signMessage", () => signer.signBytes(Buffer.from(messageBytes)));
    assertVerified(ed25519.verify(signature, messageBytes, new PublicKey(wallet.address).toBytes()), "message signature");
    return { address: wallet.address, message, signature: base58.encode(signature) };
  },
  async signTransaction(para, wallet) {
    const signer = signerOf(para, wallet);
    const owner = new PublicKey(wallet.address);

    const chain = await chainValues(SOLANA_DEVNET, { blockhash: DEMO_BLOCKHASH }, async (rpcUrl) => {
      const { blockhash } = await new Connection(rpcUrl, "confirmed").getLatestBlockhash();
      return { blockhash };
    });
    const transaction = new Transaction({ feePayer: owner, recentBlockhash: chain.values.blockhash }).add(
      SystemProgram.transfer({ fromPubkey: owner, toPubkey: owner, lamports: DEMO_AMOUNT.lamports }),
    );

    const signed = await callPara("signTransaction", () => signer.signTransaction(transaction));
    const transactionSignature = signed.signatures[0]?.signature;
    assertVerified(
      signed.feePayer?.equals(owner) === true &&
        !!transactionSignature &&
        ed25519.verify(transactionSignature, signed.serializeMessage(), owner.toBytes()),
      "transaction signature",
    );
    const serialized = signed.serialize();

    const broadcast = await broadcastSigned(SOLANA_DEVNET, chain, (rpcUrl) =>
      new Connection(rpcUrl, "confirmed").sendRawTransaction(serialized),
    );
    return {
      address: wallet.address,
      signedTransaction: serialized.toString("base64"),
      network: networkView(SOLANA_DEVNET),
      broadcast,
    };
  },
};

function signerOf(para: IntegrationPara, wallet: SigningWallet): ParaSolanaWeb3Signer {
  const signer = new ParaSolanaWeb3Signer(para, new Connection(UNUSED_CONNECTION_URL), wallet.id);
  assertSameWallet(signer.address === wallet.address);
  return signer;
}
