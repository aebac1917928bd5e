"use client";

import { useClient, useLogout, useModal } from "@getpara/react-sdk-lite";
import { useState } from "react";
import { type ApiResult, browserSdkFailure, callApi, sendSession } from "./api-client";
import { GrantCard } from "./grant-card";
import { ServerView, type SessionView } from "./server-view";
import { StepCard } from "./step-card";

type StepId = "send" | "check" | "keepAlive" | "verify" | "jwt" | "logout";

interface SessionPanelProps {
  /** Called with the server's answer once step 6 has signed the browser out too (this panel then goes away). */
  onSignedOut: (result: ApiResult) => void;
}

/**
 * The flow, one step at a time: hand the session to the server (path 1), check it, keep it
 * alive, verify with a token (path 2), verify with a JWT (path 3), sign out. Each step shows what
 * the server answered.
 */
export function SessionPanel({ onSignedOut }: SessionPanelProps) {
  const para = useClient();
  const { openModal } = useModal();
  const { logoutAsync } = useLogout();
  const [excludeSigners, setExcludeSigners] = useState(true);
  const [results, setResults] = useState<Partial<Record<StepId, ApiResult>>>({});
  const [pending, setPending] = useState<StepId | null>(null);
  const [view, setView] = useState<SessionView | null>(null);

  const expired = Object.values(results).some((result) => result?.errorCode === "session_expired");

  async function run(step: StepId, action: () => Promise<ApiResult>) {
    setPending(step);
    const result = await action().catch((error: unknown) => browserSdkFailure(error, "do this"));
    setResults((previous) => ({ ...previous, [step]: result }));
    if (result.ok && step !== "logout" && isSessionView(result.body)) setView(result.body);
    if (result.errorCode === "session_expired" || step === "logout") setView(null);
    setPending(null);
  }

  async function signInAgain() {
    // The browser's Para session has ended too: clear it so the modal starts at sign-in.
    await logoutAsync().catch(() => undefined);
    setResults({});
    setView(null);
    openModal();
  }

  if (!para) return null;
  const busy = pending !== null;

  return (
    <div className="stack">
      {expired ? (
        <div className="notice" role="alert" data-testid="session-expired">
          <p>
            <strong>Your Para session has ended.</strong> The server can no longer act for you. Sign in again, then send the new session to
            the server.
          </p>
          <button type="button" className="button" onClick={() => void signInAgain()}>
            Sign in again
          </button>
        </div>
      ) : null}

      <ServerView view={view} />

      <StepCard
        number={1}
        testId="step-send"
        title="Send session to server"
        description={
          <>
            <code>waitAndExportSession()</code> in the browser, encrypted to the server&apos;s key, then <code>POST /api/session</code>:
            path 1, Para&apos;s guide. The server makes a new <code>ParaServer</code>, calls <code>importSession()</code> and{" "}
            <code>isSessionActive()</code>, then <code>issueJwt()</code>: who you are is that JWT, verified against Para&apos;s published
            keys (JWKS), not what the browser sent. It keeps the session, sealed, for the next steps.
          </>
        }
        action="Send session to server"
        pending={pending === "send"}
        disabled={busy}
        result={results.send}
        onRun={() =>
          void run("send", async () => {
            const session = await para.waitAndExportSession({ excludeSigners });
            return sendSession(session);
          })
        }
      >
        <label className="switch">
          <input
            type="checkbox"
            checked={excludeSigners}
            onChange={(event) => setExcludeSigners(event.target.checked)}
            data-testid="exclude-signers"
          />
          Exclude signers (recommended when the server does not sign for you)
        </label>
        <SentEncrypted result={results.send} />
      </StepCard>

      <StepCard
        number={2}
        testId="step-check"
        title="Check session"
        description={
          <>
            <code>GET /api/session</code>: for an imported session the server asks Para with one call, <code>POST /touch</code> (still
            signed in, still yours?), instead of the six that a new <code>ParaServer</code> and <code>isSessionActive()</code> take. A
            session known only from a token or a JWT is answered from what the server stored (a token goes to Para again once its answer is
            a minute old).
          </>
        }
        action="Check session"
        pending={pending === "check"}
        disabled={busy}
        result={results.check}
        onRun={() => void run("check", () => callApi("GET", "/api/session"))}
      />

      <StepCard
        number={3}
        testId="step-keep-alive"
        title="Keep alive"
        description={
          <>
            <code>POST /api/session/keep-alive</code>: a new <code>ParaServer</code>, <code>importSession()</code>, then{" "}
            <code>keepSessionAlive()</code>, which makes Para extend the session; the new end is the expiry of a JWT from{" "}
            <code>issueJwt()</code>, and the countdown above moves to it.
          </>
        }
        action="Keep alive"
        pending={pending === "keepAlive"}
        disabled={busy}
        result={results.keepAlive}
        onRun={() => void run("keepAlive", () => callApi("POST", "/api/session/keep-alive"))}
      />

      {view?.path === "import" ? (
        <GrantCard grantUntil={view.grant?.until} onChange={(until) => setView({ ...view, grant: until ? { until } : undefined })} />
      ) : null}

      <StepCard
        number={4}
        testId="step-verify"
        title="Verify with a token"
        description={
          <>
            <code>getVerificationToken()</code> in the browser, then <code>POST /api/session/verify</code>: path 2. The server sends the
            token to Para&apos;s <code>POST /sessions/verify</code>, which answers whose it is; nothing is imported.
          </>
        }
        action="Verify with a token"
        pending={pending === "verify"}
        disabled={busy}
        result={results.verify}
        onRun={() =>
          void run("verify", async () => {
            const verificationToken = await para.getVerificationToken();
            return callApi("POST", "/api/session/verify", { verificationToken });
          })
        }
      />

      <StepCard
        number={5}
        testId="step-jwt"
        title="Verify with a JWT"
        description={
          <>
            <code>issueJwt()</code> in the browser, then <code>POST /api/session/jwt</code>: path 3. The server verifies the JWT against
            Para&apos;s published keys (JWKS) and makes no call to Para, but a logout at Para only shows once the token expires.
          </>
        }
        action="Verify with a JWT"
        pending={pending === "jwt"}
        disabled={busy}
        result={results.jwt}
        onRun={() =>
          void run("jwt", async () => {
            const { token } = await para.issueJwt();
            return callApi("POST", "/api/session/jwt", { token });
          })
        }
      />

      <StepCard
        number={6}
        testId="step-logout"
        title="Log out"
        description={
          <>
            <code>DELETE /api/session</code> deletes the server&apos;s copy, so every copy of the cookie is dead, and clears it, with no
            call to Para; then the browser logs out of Para.
          </>
        }
        action="Log out"
        pending={pending === "logout"}
        disabled={busy}
        result={results.logout}
        onRun={() =>
          void run("logout", async () => {
            const result = await callApi("DELETE", "/api/session");
            await logoutAsync();
            onSignedOut(result);
            return result;
          })
        }
      />
    </div>
  );
}

function isSessionView(body: unknown): body is SessionView {
  return typeof body === "object" && body !== null && "identifier" in body && "path" in body;
}

/** How the last session travelled: encrypted to the server's transport key (`kid`), as the server reports it. */
function SentEncrypted({ result }: { result?: ApiResult }) {
  const transport = (result?.body as { transport?: { encrypted?: boolean; kid?: string } } | null | undefined)?.transport;
  if (!result?.ok || !transport) return null;
  return (
    <p className="muted" data-testid="sent-encrypted">
      {transport.encrypted ? (
        <>
          Sent encrypted to the server&apos;s key <code>{transport.kid}</code> (a JWE: ECDH-ES+A256KW, A256GCM).
        </>
      ) : (
        "Sent unencrypted (SESSION_TRANSPORT=any)."
      )}
    </p>
  );
}
