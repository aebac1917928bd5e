import "server-only";
import { createParaAccount } from "@getpara/viem-v2-integration";
import {
  createPublicClient,
  type Hex,
  http,
  isAddressEqual,
  recoverMessageAddress,
  recoverTransactionAddress,
  type TransactionSerializableEIP1559,
} from "viem";
import { callPara } from "../para/call";
import { assertSameWallet, assertVerified } from "./checks";
import { DEMO_AMOUNT, DEMO_EVM_FEES } from "./demo";
import { fundOnLocalChain } from "./local-chain";
import { broadcastSigned, chainValues, evmNetwork, networkView, viemChainOf } from "./networks";
import type { IntegrationPara, Recipe, SigningWallet } from "./types";

/** viem through `@getpara/viem-v2-integration`: a viem `LocalAccount` backed by the Para wallet. */
export const viemRecipe: Recipe = {
  library: "viem",
  walletType: "EVM",
  async signMessage(para, wallet, message) {
    const account = accountOf(para, wallet);
    const signature = await callPara("signMessage", () => account.signMessage({ message }));
    assertVerified(isAddressEqual(await recoverMessageAddress({ message, signature }), account.address), "message signature");
    return { address: account.address, message, signature };
  },
  async signTransaction(para, wallet) {
    const account = accountOf(para, wallet);
    const address = account.address;

    const network = evmNetwork();
    const viemChain = viemChainOf(network);
    const chain = await chainValues(network, DEMO_EVM_FEES, async (rpcUrl) => {
      await fundOnLocalChain(network, address);
      const client = createPublicClient({ chain: viemChain, transport: http(rpcUrl) });
      const [nonce, fees] = await Promise.all([client.getTransactionCount({ address, blockTag: "pending" }), client.estimateFeesPerGas()]);
      return { nonce, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
    });
    const transaction: TransactionSerializableEIP1559 = {
      type: "eip1559",
      chainId: viemChain.id,
      to: address,
      value: DEMO_AMOUNT.wei,
      gas: 21_000n,
      ...chain.values,
    };

    const signedTransaction = (await callPara("signTransaction", () => account.signTransaction(transaction))) as Hex;
    assertVerified(
      isAddressEqual(await recoverTransactionAddress({ serializedTransaction: signedTransaction as never }), address),
      "transaction signature",
    );

    const broadcast = await broadcastSigned(network, chain, (rpcUrl) =>
      createPublicClient({ chain: viemChain, transport: http(rpcUrl) }).sendRawTransaction({ serializedTransaction: signedTransaction }),
    );
    return { address, signedTransaction, network: networkView(network), broadcast };
  },
};

function accountOf(para: IntegrationPara, wallet: SigningWallet) {
  // Without an address: createParaAccount(para, address) only searches the session's selected
  // wallets, so it cannot find a pregenerated one loaded with setUserShare. The instance holds
  // one EVM-capable wallet in either mode; the check below makes sure it is the one we expect.
  const account = createParaAccount(para);
  assertSameWallet(isAddressEqual(account.address, wallet.address as Hex));
  return account;
}
