import Link from "next/link";
import { HomeArea } from "@/components/para/areas";
import { getParaPublicConfig } from "@/lib/para/public-config";

export default function HomePage() {
  const para = getParaPublicConfig();
  const { mode, environment } = para;
  return (
    <main className="page stack">
      <header className="stack-tight">
        <p className="eyebrow">
          <Link href="/mode" data-testid="mode-link">
            {mode === "local" ? "Running against para-local" : `Running against Para ${environment}`}
          </Link>
        </p>
        <h1>Para server sessions</h1>
        <p className="lead">
          Sign in with Para here in the browser, then hand your session to this Next.js server, which imports it into a fresh server SDK
          instance on every request, checks it with Para and keeps it alive. A second path checks you with a one-time verification token,
          importing nothing.
        </p>
      </header>
      <HomeArea config={para} />
      <p>
        <Link href="/examples">Signing examples</Link>: the server signs with your session or with wallets it pregenerates, in viem, ethers,
        CosmJS and Solana web3.js. <Link href="/account">Your account</Link>: the server&apos;s view of you, rendered on the server.
      </p>
    </main>
  );
}
