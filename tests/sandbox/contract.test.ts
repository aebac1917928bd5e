import { describe, it } from "vitest";
import { paraContract } from "../contract/para-contract";
import { PARA_API_BASE } from "../../lib/para/environments";

// `npm run test:sandbox`: the contract para-local is held to (tests/contract/para-contract.ts), run
// against Para's SANDBOX with your key, so you see in one command where para-local and Para differ.
// PARA_API_KEY=sandbox_… is required; PARA_CONTRACT_SESSION (a session exported with signers from a
// browser signed in to SANDBOX, `await para.exportSession()`) adds the session checks. It creates a
// pregenerated wallet set for a random custom id in your SANDBOX project each run.

const apiKey = process.env.PARA_API_KEY ?? "";

if (!apiKey.startsWith("sandbox_")) {
  describe("the Para contract, against Para SANDBOX", () => {
    it.skip("needs PARA_API_KEY=sandbox_… (your SANDBOX key); skipped", () => {});
  });
  console.log("[contract] PARA_API_KEY is not a sandbox_… key: the SANDBOX contract suite is skipped.");
} else {
  paraContract({
    name: "Para SANDBOX",
    environment: "SANDBOX",
    apiKey,
    apiBase: PARA_API_BASE.SANDBOX,
    exportedSession: async () => process.env.PARA_CONTRACT_SESSION || undefined,
  });
}
