// The local chain's contract addresses (npm run chain, local-chain/start.ts deploys them there).
// Plain constants, importable by the app and the dev tools alike.

/** Hardhat Network's chain id: the only chain the app funds wallets on from a dev key. */
export const LOCAL_CHAIN_ID = 31337;

/**
 * `SimpleAccountFactory` v0.7 (eth-infinitism), where the deterministic deployer puts it with salt 0
 * on every chain; permissionless's `toSimpleSmartAccount` uses it by default with EntryPoint v0.7.
 */
export const SIMPLE_ACCOUNT_FACTORY_07 = "0x91E60e0613810449d098b0b5Ec8b51A0FE8c8985";

/**
 * `Simple7702Account` v0.8 (eth-infinitism), where the deterministic deployer puts it with salt 0:
 * the logic an EOA delegates to with EIP-7702; it answers only to EntryPoint v0.8.
 */
export const SIMPLE_7702_ACCOUNT_08 = "0xe6Cae83BdE06E4c305530e199D7217f42808555B";
