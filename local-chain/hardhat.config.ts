import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "hardhat/config";

// Hardhat Network for `npm run chain` (local-chain/start.ts): its defaults — chain id 31337, the
// well-known dev accounts with 10,000 ETH each, the latest hardfork, a block per transaction.
// Nothing is compiled here; the build folders are kept out of the repository.
export default defineConfig({
  paths: {
    artifacts: path.join(tmpdir(), "para-local-chain", "artifacts"),
    cache: path.join(tmpdir(), "para-local-chain", "cache"),
  },
});
