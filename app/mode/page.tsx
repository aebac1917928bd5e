import type { Metadata } from "next";
import Link from "next/link";
import { getParaPublicConfig } from "@/lib/para/public-config";
import { verifyKeyHeaderName } from "@/lib/para/verify-token";

export const metadata: Metadata = { title: "Runtime mode · Para server sessions" };

/** Which Para this server talks to; read at run time, so one build serves both modes. */
export default function ModePage() {
  const { mode, environment } = getParaPublicConfig();
  const verifyKey = verifyKeyHeaderName();
  return (
    <main className="page stack">
      <p>
        <Link href="/">← Back</Link>
      </p>
      <h1>Runtime mode</h1>
      <dl className="facts card" data-testid="mode">
        <dt>Mode</dt>
        <dd data-testid="mode-value">{mode === "local" ? "local (para-local)" : "Para"}</dd>
        <dt>SDK environment</dt>
        <dd data-testid="mode-environment">{environment}</dd>
        <dt>
          <code>/sessions/verify</code> key (path 2)
        </dt>
        <dd data-testid="mode-verify-key">
          {verifyKey === "x-external-api-key" ? (
            <>
              the secret key (<code>PARA_SECRET_KEY</code>) as <code>x-external-api-key</code>
            </>
          ) : (
            <>
              the API key as <code>x-partner-id</code> (set <code>PARA_SECRET_KEY</code> to send the secret key instead)
            </>
          )}
        </dd>
      </dl>
      {mode === "local" ? (
        <section className="stack-tight">
          <h2>About para-local</h2>
          <p>
            No <code>PARA_API_KEY</code> is set, so the browser and server SDKs run in <code>Environment.DEV</code> and talk to{" "}
            <strong>para-local</strong>, a stand-in for Para that ships in this repository: its API on <code>localhost:8080</code>, its
            portal (the password page and the signing workers) on <code>localhost:3003</code>.
          </p>
          <p>
            Any email and any 6-digit code sign you in. Wallets use ordinary single-party keys instead of Para&apos;s two-party MPC, so
            signatures are real and verifiable but worth nothing outside para-local. Set <code>PARA_API_KEY</code> (see{" "}
            <code>.env.example</code>) and the same build talks to Para.
          </p>
        </section>
      ) : (
        <p>
          The SDKs talk to Para&apos;s {environment} environment with this app&apos;s API key. Sign-in, sessions and signing are
          Para&apos;s.
        </p>
      )}
    </main>
  );
}
