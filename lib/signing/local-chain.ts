import "server-only";
import { type Address, createPublicClient, createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { getConfig } from "../config";
import { LOCAL_CHAIN_ID } from "./local-chain-contracts";
import { LOCAL_CHAIN, rpcUrlFor, type TestNetwork } from "./networks";

/** A wallet below this on the local chain gets `TOP_UP` from the dev funder before it sends. */
const LOW_BALANCE = parseEther("0.1");
const TOP_UP = parseEther("1");

/** One funding transaction at a time: the funder's nonces must not race between requests. */
let funding: Promise<unknown> = Promise.resolve();
/** RPC URLs whose chain id was checked to be Hardhat's: asked once per process, not per request. */
const checkedLocal = new Set<string>();

/**
 * On the local chain, tops `address` up from the dev funder (LOCAL_CHAIN_FUNDER_KEY) when it is
 * low, so the demo can send without a faucet. Anywhere else it does nothing: a dev key never
 * moves funds on a chain whose id is not Hardhat's, whatever the RPC URL says.
 */
export async function fundOnLocalChain(network: TestNetwork, address: Address): Promise<void> {
  const rpcUrl = network === LOCAL_CHAIN ? rpcUrlFor(network) : undefined;
  const funderKey = getConfig().localChain.funderKey;
  if (!rpcUrl || !funderKey) return;
  const client = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
  if (!checkedLocal.has(rpcUrl)) {
    if ((await client.getChainId()) !== LOCAL_CHAIN_ID) throw new Error(`LOCAL_CHAIN_RPC_URL is not a local chain (id ${LOCAL_CHAIN_ID})`);
    checkedLocal.add(rpcUrl);
  }
  const topUp = async () => {
    if ((await client.getBalance({ address })) >= LOW_BALANCE) return;
    const funder = createWalletClient({ chain: hardhat, transport: http(rpcUrl), account: privateKeyToAccount(funderKey) });
    const hash = await funder.sendTransaction({ to: address, value: TOP_UP });
    await client.waitForTransactionReceipt({ hash });
  };
  const turn = funding.then(topUp, topUp);
  funding = turn.catch(() => {});
  await turn;
}
