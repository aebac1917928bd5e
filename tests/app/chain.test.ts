import { type Address, createPublicClient, type Hash, type Hex, http, isAddressEqual, parseAbi } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalChain, startLocalChain } from "../../local-chain/start";
import { type MintedSession, mintSession, quietSdkLogs, walletOf } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import type { ErrorBody } from "./client";
import { ownAppForThisFile } from "./own-app";

// The EVM recipes and the smart-account recipe against a real local chain (Hardhat Network) and a
// real ERC-4337 bundler (Alto), both started here on ports of their own: transactions land, the
// balances move, and the chain says who sent them and who owns the smart account.

quietSdkLogs();
paraLocalForThisFile();

let chain: LocalChain;
let rpc: ReturnType<typeof createPublicClient>;

beforeAll(async () => {
  chain = await startLocalChain({ rpcPort: 18545, bundlerPort: 14337 });
  rpc = createPublicClient({ chain: hardhat, transport: http(chain.rpcUrl) });
}, 120_000);
afterAll(() => chain?.stop());
const { Client: ChainAppClient } = ownAppForThisFile(3106, () => ({ PREGEN_GLOBAL_HOURLY_LIMIT: "100", ...chain.env }));
type ChainAppClient = InstanceType<typeof ChainAppClient>;

interface Broadcast {
  status: string;
  transactionId?: string;
  blockNumber?: string;
  message?: string;
}
interface SigningAnswer {
  address: string;
  network: { chainId: string };
  broadcast: Broadcast;
}
interface SmartAccountAnswer {
  mode: string;
  type: string;
  owner: string;
  smartAccount: Address;
  deployedNow: boolean;
  entryPoint: string;
  userOperationHash: Hash;
  transactionHash: Hash;
  blockNumber: string;
  status: string;
}

let user: MintedSession;
let client: ChainAppClient;
let pregen: { id: string; wallets: { type: string; address: string }[] };

beforeAll(async () => {
  user = await mintSession();
  client = new ChainAppClient();
  expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
  const created = await client.request<typeof pregen>("POST", "/api/wallets/pregen", {
    json: { identifier: { type: "customId", value: `chain-${Date.now()}` } },
  });
  expect(created.status, created.text).toBe(201);
  pregen = created.body;
});

const evmAddress = (mode: "session" | "pregen") =>
  (mode === "session" ? walletOf(user, "EVM").address : pregen.wallets.find((wallet) => wallet.type === "EVM")!.address) as Address;

const sign = (library: string, mode: "session" | "pregen") =>
  client.request<SigningAnswer & ErrorBody>(
    "POST",
    `/api/examples/${library}/${mode}`,
    mode === "pregen" ? { json: { setId: pregen.id } } : {},
  );

/** What the transaction cost its sender: the receipt's gas at its price. */
async function feeOf(hash: Hash): Promise<bigint> {
  const receipt = await rpc.getTransactionReceipt({ hash });
  return receipt.gasUsed * receipt.effectiveGasPrice;
}

describe("the EVM recipes broadcast to the local chain", () => {
  describe.each(["session", "pregen"] as const)("%s", (mode) => {
    it.each(["viem", "ethers"])("%s: included; sent by the wallet, to itself; the balance moved by the fee", async (library) => {
      const address = evmAddress(mode);
      const before = await rpc.getBalance({ address });
      const response = await sign(library, mode);
      expect(response.status, response.text).toBe(200);
      const { broadcast } = response.body;
      expect(broadcast).toMatchObject({ status: "included", transactionId: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
      expect(response.body.network.chainId).toBe("31337");

      const hash = broadcast.transactionId as Hash;
      const [transaction, receipt] = await Promise.all([rpc.getTransaction({ hash }), rpc.getTransactionReceipt({ hash })]);
      expect(receipt.status).toBe("success");
      expect(receipt.blockNumber.toString()).toBe(broadcast.blockNumber);
      expect(isAddressEqual(receipt.from, address)).toBe(true);
      expect(isAddressEqual(transaction.to!, address)).toBe(true);
      // A wallet with nothing is first topped up with 1 ETH by the dev funder; then only the fee moves.
      const funded = before === 0n ? 10n ** 18n : 0n;
      expect(await rpc.getBalance({ address })).toBe(before + funded - (await feeOf(hash)));
    });
  });

  it("a chain that refuses the transaction: failed, with a reason that names no URL", async () => {
    await rpc.request({ method: "evm_setBlockGasLimit" as never, params: ["0x5000"] as never });
    try {
      const response = await sign("viem", "session");
      expect(response.status, response.text).toBe(200);
      expect(response.body.broadcast.status).toBe("failed");
      expect(response.body.broadcast.message).toMatch(/refused/);
      expect(response.text).not.toContain("127.0.0.1");
      expect(response.text).not.toContain("18545");
    } finally {
      await rpc.request({ method: "evm_setBlockGasLimit" as never, params: ["0x1c9c380"] as never });
    }
  });
});

const SIMPLE_ACCOUNT = parseAbi(["function owner() view returns (address)"]);

async function userOperationReceipt(hash: Hash): Promise<{ sender: Address; success: boolean; receipt: { transactionHash: Hex } }> {
  const response = await fetch(chain.bundlerUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getUserOperationReceipt", params: [hash] }),
  });
  return ((await response.json()) as { result: never }).result;
}

describe("the smart-account recipe: an ERC-4337 account owned by the Para wallet, through the bundler", () => {
  describe.each(["session", "pregen"] as const)("%s", (mode) => {
    const run = () =>
      client.request<SmartAccountAnswer & ErrorBody>(
        "POST",
        `/api/examples/smart-account/${mode}`,
        mode === "pregen" ? { json: { setId: pregen.id } } : {},
      );

    it("deploys the account with its first operation, whose owner on chain is the Para wallet; a second reuses it", async () => {
      const first = await run();
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ mode, status: "included", deployedNow: true, entryPoint: chain.entryPoint });
      expect(isAddressEqual(first.body.owner as Address, evmAddress(mode))).toBe(true);
      const { smartAccount } = first.body;
      expect(await rpc.getCode({ address: smartAccount })).toMatch(/^0x[0-9a-f]{2,}/);
      expect(
        isAddressEqual(await rpc.readContract({ address: smartAccount, abi: SIMPLE_ACCOUNT, functionName: "owner" }), evmAddress(mode)),
      ).toBe(true);
      const operation = await userOperationReceipt(first.body.userOperationHash);
      expect(operation.success).toBe(true);
      expect(isAddressEqual(operation.sender, smartAccount)).toBe(true);
      expect(operation.receipt.transactionHash).toBe(first.body.transactionHash);
      expect((await rpc.getTransactionReceipt({ hash: first.body.transactionHash })).status).toBe("success");

      const second = await run();
      expect(second.status, second.text).toBe(200);
      expect(second.body).toMatchObject({ smartAccount, deployedNow: false, status: "included" });
      expect(second.body.userOperationHash).not.toBe(first.body.userOperationHash);
      expect((await userOperationReceipt(second.body.userOperationHash)).success).toBe(true);
    });
  });

  describe.each(["session", "pregen"] as const)("EIP-7702, %s", (mode) => {
    const run = () =>
      client.request<SmartAccountAnswer & ErrorBody>(
        "POST",
        `/api/examples/smart-account/${mode}?type=eip7702`,
        mode === "pregen" ? { json: { setId: pregen.id } } : {},
      );

    it("the Para wallet itself becomes the smart account: its first operation delegates it to Simple7702Account, a second needs no authorization", async () => {
      const wallet = evmAddress(mode);
      const first = await run();
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ type: "eip7702", status: "included", deployedNow: true, entryPoint: chain.entryPoint08 });
      expect(isAddressEqual(first.body.smartAccount, wallet)).toBe(true);
      // EIP-7702: the wallet's code is the delegation designator, 0xef0100 followed by the logic's address.
      expect(await rpc.getCode({ address: wallet })).toBe(`0xef0100${chain.simple7702Account.slice(2).toLowerCase()}`);
      const operation = await userOperationReceipt(first.body.userOperationHash);
      expect(operation.success).toBe(true);
      expect(isAddressEqual(operation.sender, wallet)).toBe(true);

      const second = await run();
      expect(second.status, second.text).toBe(200);
      expect(second.body).toMatchObject({ type: "eip7702", deployedNow: false, status: "included" });
      expect((await userOperationReceipt(second.body.userOperationHash)).success).toBe(true);
    });
  });

  it("an unknown account type → 400", async () => {
    const response = await client.request<ErrorBody>("POST", "/api/examples/smart-account/session?type=safe");
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/erc4337, eip7702/);
  });

  it("a user without a session is refused, as on the other routes", async () => {
    const response = await new ChainAppClient().request<ErrorBody>("POST", "/api/examples/smart-account/session");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });
});
