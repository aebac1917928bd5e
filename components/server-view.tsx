import type { ServerSessionView } from "@/lib/session/service";
import { SessionCountdown } from "./session-countdown";

/** The server's view of the user, as `/api/session` answers it (the server's type, imported as a type only). */
export type SessionView = ServerSessionView;

const PATHS: Record<SessionView["path"], string> = {
  import: "imported session (path 1)",
  token: "verification token (path 2)",
  jwt: "Para JWT (path 3)",
};

/** Para's names for its OAuth providers (a JWT's `data.oAuthMethod`), as people know them. */
const OAUTH_NAMES: Record<string, string> = {
  google: "Google",
  x: "X",
  twitter: "X",
  apple: "Apple",
  discord: "Discord",
  facebook: "Facebook",
};

const CHECKED_BY: Record<SessionView["checkedBy"], string> = {
  para: "Para was asked for this answer",
  jwt: "Para's signature on the JWT was verified (no call to Para)",
  cookie: "from the server's cookie, as last checked (not asked again)",
};

/** Who the server thinks the user is, from the last answer that said so. */
export function ServerView({ view }: { view: SessionView | null }) {
  if (!view) {
    return (
      <section className="card muted" aria-label="The server's view" data-testid="server-view">
        The server&apos;s answer shows here once you ask it: send your session (step 1), check what it holds (step 2), or verify a token
        (step 4) or a JWT (step 5).
      </section>
    );
  }
  return (
    <section className="card" aria-label="The server's view" data-testid="server-view" data-path={view.path}>
      <h3>The server&apos;s view</h3>
      <dl className="facts">
        <dt>Identifier</dt>
        <dd data-testid="server-identifier">{view.identifier}</dd>
        <dt>Auth type</dt>
        <dd>{view.authType}</dd>
        {view.oAuthMethod ? (
          <>
            <dt>Signed in with</dt>
            <dd data-testid="server-oauth-method">{OAUTH_NAMES[view.oAuthMethod] ?? view.oAuthMethod} (as Para attests it)</dd>
          </>
        ) : null}
        <dt>Path</dt>
        <dd data-testid="server-path">{PATHS[view.path]}</dd>
        <dt>Checked</dt>
        <dd data-testid="server-checked-by">{CHECKED_BY[view.checkedBy]}</dd>
        <dt>Validated at</dt>
        <dd>
          <time dateTime={view.validatedAt}>{new Date(view.validatedAt).toLocaleString()}</time>
        </dd>
        <dt>Session ends at</dt>
        <dd>
          {view.expiresAt ? (
            <SessionCountdown endsAt={view.expiresAt} />
          ) : (
            <span data-testid="session-ends">
              Para names no end for a token-path session: the server asks Para again when its last answer is a minute old.
            </span>
          )}
        </dd>
        <dt>Signers</dt>
        <dd>{view.hasSigners ? "held by the server (it can sign)" : "not sent (validation only)"}</dd>
      </dl>
      {view.wallets.length ? (
        <ul className="wallets">
          {view.wallets.map((wallet) => (
            // One secp256k1 wallet serves EVM and Cosmos: the same id appears under both types.
            <li key={`${wallet.type}:${wallet.id}`} data-testid={`server-wallet-${wallet.type}`}>
              <span className="badge">{wallet.type}</span> <code>{wallet.address ?? "no address yet"}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
