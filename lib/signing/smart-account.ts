import "server-only";
import { createParaAccount } from "@getpara/viem-v2-integration";
import { to7702SimpleSmartAccount, toSimpleSmartAccount } from "permissionless/accounts";
import { type Address, createPublicClient, http, isAddressEqual } from "viem";
import { createBundlerClient, entryPoint07Address, entryPoint08Address } from "viem/account-abstraction";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { assertSameWallet } from "./checks";
import { DEMO_AMOUNT } from "./demo";
import { fundOnLocalChain } from "./local-chain";
import { SIMPLE_7702_ACCOUNT_08, SIMPLE_ACCOUNT_FACTORY_07 } from "./local-chain-contracts";
import { LOCAL_CHAIN, networkView, rpcUrlFor, viemChainOf } from "./networks";
import type { IntegrationPara, NetworkView, SigningWallet } from "./types";

/**
 * `erc4337`: a SimpleAccount contract (EntryPoint v0.7) owned by the Para wallet, at its own address.
 * `eip7702`: the Para wallet's own address becomes the smart account, delegating to Simple7702Account
 * (EntryPoint v0.8) with an authorization the Para wallet signs.
 */
export const SMART_ACCOUNT_TYPES = ["erc4337", "eip7702"] as const;
export type SmartAccountType = (typeof SMART_ACCOUNT_TYPES)[number];

/** What `/api/examples/smart-account/{session,pregen}` answers: the user operation, included. */
export interface SmartAccountResult {
  type: SmartAccountType;
  /** The Para EVM wallet that owns the smart account and signed the user operation. */
  owner: string;
  /** The account that sent the operation: a contract (erc4337), or the Para wallet itself (eip7702). */
  smartAccount: string;
  /** True when this operation gave the account its code: deployed it (erc4337), or delegated the wallet (eip7702). */
  deployedNow: boolean;
  entryPoint: string;
  userOperationHash: string;
  transactionHash: string;
  blockNumber: string;
  status: "included";
  network: NetworkView;
}

/**
 * An ERC-4337 smart account (eth-infinitism's SimpleAccount v0.7, through permissionless) whose
 * owner is the user's Para EVM wallet: the Para wallet signs the user operation's hash, the
 * bundler submits it through the EntryPoint, which deploys the account on first use. The call is
 * the server's own: 1 gwei from the smart account to its owner. Locally (`npm run chain`) the dev
 * funder pays the account's gas; there is no paymaster. With `eip7702` the wallet itself is the
 * account: its first operation carries the wallet's EIP-7702 authorization.
 */
export async function sendSmartAccountOperation(
  para: IntegrationPara,
  wallet: SigningWallet,
  type: SmartAccountType,
): Promise<SmartAccountResult> {
  const rpcUrl = rpcUrlFor(LOCAL_CHAIN);
  const { bundlerUrl } = getConfig().localChain;
  if (!rpcUrl || !bundlerUrl) {
    throw new AppError(
      "not_configured",
      "No ERC-4337 bundler is configured: run npm run chain (npm run dev starts it) and set LOCAL_CHAIN_RPC_URL and LOCAL_BUNDLER_URL.",
    );
  }
  const owner = createParaAccount(para);
  assertSameWallet(isAddressEqual(owner.address, wallet.address as Address));
  const chain = viemChainOf(LOCAL_CHAIN);
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  // The local chain mines at once: ask for the receipt often.
  const bundler = createBundlerClient({ client, chain, transport: http(bundlerUrl), pollingInterval: 250 });

  const entryPoint = type === "eip7702" ? entryPoint08Address : entryPoint07Address;
  const receipt = await onChain(async () => {
    const account =
      type === "eip7702"
        ? await to7702SimpleSmartAccount({
            client,
            owner,
            entryPoint: { address: entryPoint08Address, version: "0.8" },
            accountLogicAddress: SIMPLE_7702_ACCOUNT_08,
          })
        : await toSimpleSmartAccount({
            client,
            owner,
            entryPoint: { address: entryPoint07Address, version: "0.7" },
            factoryAddress: SIMPLE_ACCOUNT_FACTORY_07,
          });
    await fundOnLocalChain(LOCAL_CHAIN, account.address);
    const code = await client.getCode({ address: account.address });
    // A 7702 account "has code" once the wallet delegates: 0xef0100 followed by the logic's address.
    const deployedNow = type === "eip7702" ? code?.toLowerCase() !== delegationTo(SIMPLE_7702_ACCOUNT_08) : !code;
    const authorization =
      type === "eip7702" && deployedNow
        ? await owner.signAuthorization!({
            contractAddress: SIMPLE_7702_ACCOUNT_08,
            chainId: chain.id,
            nonce: await client.getTransactionCount({ address: owner.address }),
          })
        : undefined;
    const hash = await bundler.sendUserOperation({ account, calls: [{ to: owner.address, value: DEMO_AMOUNT.wei }], authorization });
    return { deployedNow, account: account.address, ...(await bundler.waitForUserOperationReceipt({ hash, timeout: 30_000 })) };
  });
  if (!receipt.success) throw new AppError("upstream_error", "The user operation was included but its call reverted.");
  return {
    type,
    owner: owner.address,
    smartAccount: receipt.account,
    deployedNow: receipt.deployedNow,
    entryPoint,
    userOperationHash: receipt.userOpHash,
    transactionHash: receipt.receipt.transactionHash,
    blockNumber: receipt.receipt.blockNumber.toString(),
    status: "included",
    network: networkView(LOCAL_CHAIN),
  };
}

/**
 * Runs the chain and bundler part. Para's answers (a held signature, a timeout) come through as
 * they are, even when viem wraps them; anything else is the chain's or the bundler's refusal,
 * answered without its text (it can carry the RPC's URL).
 */
async function onChain<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const fromPara = appErrorIn(error);
    if (fromPara) throw fromPara;
    throw new AppError("upstream_error", "The local chain or its bundler refused the user operation.", { cause: error });
  }
}

/** The code an EOA has once it delegates to `logic` with EIP-7702. */
function delegationTo(logic: string): string {
  return `0xef0100${logic.slice(2).toLowerCase()}`;
}

function appErrorIn(error: unknown, depth = 0): AppError | undefined {
  if (error instanceof AppError) return error;
  if (depth > 8 || !(error instanceof Error)) return undefined;
  return appErrorIn(error.cause, depth + 1);
}
