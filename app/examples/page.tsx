import type { Metadata } from "next";
import Link from "next/link";
import { ExamplesArea } from "@/components/para/areas";
import { getParaPublicConfig } from "@/lib/para/public-config";
import { hasSessionCookie } from "@/lib/session/cookie";

export const metadata: Metadata = { title: "Signing examples · Para server sessions" };

/** Every signing recipe, by session and by pregenerated wallet, one button each. */
export default async function ExamplesPage() {
  const para = getParaPublicConfig();
  // Without a session cookie the list of pregenerated wallets is known to answer 401: not asked for until there is one.
  const serverSession = await hasSessionCookie();
  return (
    <main className="page stack">
      <p>
        <Link href="/">← Back</Link>
      </p>
      <header className="stack-tight">
        <h1>Signing examples</h1>
        <p className="lead">
          The server signs a fixed message and a transaction it builds itself (a tiny self-transfer on a test network) with viem, ethers,
          CosmJS or Solana web3.js, through Para&apos;s integration for each, then checks both signatures before answering. It signs either
          with your session, sent with its signers, or with a wallet it pregenerated for an identifier and holds the key share of.
        </p>
      </header>
      <ExamplesArea config={para} serverSession={serverSession} />
    </main>
  );
}
