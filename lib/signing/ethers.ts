import "server-only";
import { ParaEthersSigner } from "@getpara/ethers-v6-integration";
import { getAddress, JsonRpcProvider, Transaction, type TransactionRequest, verifyMessage } from "ethers";
import { callPara } from "../para/call";
import { assertSameWallet, assertVerified } from "./checks";
import { DEMO_AMOUNT, DEMO_EVM_FEES } from "./demo";
import { fundOnLocalChain } from "./local-chain";
import { broadcastSigned, chainValues, evmNetwork, networkView, type TestNetwork } from "./networks";
import type { IntegrationPara, Recipe, SigningWallet } from "./types";

const providerFor = (network: TestNetwork, rpcUrl: string) => new JsonRpcProvider(rpcUrl, Number(network.chainId), { staticNetwork: true });

/**
 * ethers v6 through `@getpara/ethers-v6-integration` 1.16.0: an ethers `AbstractSigner` over the
 * Para wallet. It has no 2.x release; its code only calls the instance's signMessage and
 * signTransaction, which 2.18 keeps, so package.json pins its `@getpara/core-sdk` to 2.18.0.
 */
export const ethersRecipe: Recipe = {
  library: "ethers",
  walletType: "EVM",
  async signMessage(para, wallet, message) {
    const { signer, address } = await signerOf(para, wallet);
    const signature = await callPara("signMessage", () => signer.signMessage(message));
    assertVerified(verifyMessage(message, signature) === address, "message signature");
    return { address, message, signature };
  },
  async signTransaction(para, wallet) {
    const network = evmNetwork();
    const chain = await chainValues(network, DEMO_EVM_FEES, async (rpcUrl) => {
      await fundOnLocalChain(network, getAddress(wallet.address) as `0x${string}`);
      const provider = providerFor(network, rpcUrl);
      const [nonce, fees] = await Promise.all([provider.getTransactionCount(wallet.address, "pending"), provider.getFeeData()]);
      if (fees.maxFeePerGas === null || fees.maxPriorityFeePerGas === null) throw new Error("the network reports no EIP-1559 fees");
      return { nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    });
    const { signer, address } = await signerOf(para, wallet);

    const transaction: TransactionRequest = {
      type: 2,
      chainId: BigInt(network.chainId),
      to: address,
      value: DEMO_AMOUNT.wei,
      gasLimit: 21_000n,
      ...chain.values,
    };
    const signedTransaction = await callPara("signTransaction", () => signer.signTransaction(transaction));
    assertVerified(Transaction.from(signedTransaction).from === address, "transaction signature");

    const broadcast = await broadcastSigned(
      network,
      chain,
      async (rpcUrl) => (await providerFor(network, rpcUrl).broadcastTransaction(signedTransaction)).hash,
    );
    return { address, signedTransaction, network: networkView(network), broadcast };
  },
};

async function signerOf(para: IntegrationPara, wallet: SigningWallet) {
  // No provider: the demo transaction sets every field, and broadcasting uses a provider of its own.
  const signer = new ParaEthersSigner(para, null, wallet.id);
  const address = getAddress(await signer.getAddress());
  assertSameWallet(address === getAddress(wallet.address));
  return { signer, address };
}
