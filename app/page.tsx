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
          Sign in with Para here in the browser, then show this Next.js server who you are, three ways: hand it your exported session, which
          it imports into Para&apos;s server SDK and can keep alive and sign with (path 1); a one-time verification token, which it sends to
          Para (path 2); or a JWT from Para, which it verifies against Para&apos;s published keys without calling Para (path 3).
        </p>
      </header>
      <HomeArea config={para} />
      <p>
        <Link href="/examples">Signing examples</Link>: the server signs with your session (a new <code>ParaServer</code>,{" "}
        <code>importSession()</code>, then the library&apos;s signer) or with wallets it pregenerates, in viem, ethers, CosmJS and Solana
        web3.js. <Link href="/account">Your account</Link>: the server&apos;s view of you, rendered on the server.
      </p>
    </main>
  );
}
