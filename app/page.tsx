import { ConnectPanel } from "@/components/connect-panel";

export default function HomePage() {
  return (
    <main className="page">
      <h1>Para server sessions</h1>
      <p>
        Sign in with Para in the browser, then hand the session to this Next.js server, which imports it into a fresh
        server SDK instance per request, checks that it is active, keeps it alive and acts for you.
      </p>
      <ConnectPanel />
    </main>
  );
}
