import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ServerView } from "@/components/server-view";
import { asDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError } from "@/lib/errors";
import { currentUser } from "@/lib/session/dal";

export const metadata: Metadata = { title: "Your account · Para server sessions" };

/**
 * The server's view of the user, rendered on the server from the data access layer: no client
 * fetch, and Para is asked during the render (import path). Signed out, or once the session has
 * ended, it redirects home.
 */
export default async function AccountPage() {
  let view: Awaited<ReturnType<typeof currentUser>>;
  try {
    view = await currentUser();
  } catch (thrown) {
    // Para or the database did not answer: say so instead of an error page.
    const error = asDatabaseUnavailable(thrown);
    if (!(error instanceof AppError)) throw error;
    return (
      <main className="page stack">
        <h1>Your account</h1>
        <p className="notice" role="alert" data-testid="account-error">
          {error.message} Try again in a moment.
        </p>
      </main>
    );
  }
  if (!view) redirect("/");
  return (
    <main className="page stack">
      <p>
        <Link href="/">← Back</Link>
      </p>
      <h1>Your account</h1>
      <p className="lead">
        Rendered on the server by <code>verifySession()</code>, with what Para says about your session right now.
      </p>
      <ServerView view={view} />
    </main>
  );
}
