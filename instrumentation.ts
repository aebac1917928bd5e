/**
 * Runs once when a server instance starts: a configuration mistake (a missing secret, a key
 * for the wrong environment) stops start-up with its message, instead of surfacing as a 500
 * on the first request; and from then on, secrets are redacted from whatever the process prints.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./lib/config");
  getConfig();
  const { installLogRedaction } = await import("./lib/log-redaction");
  installLogRedaction();
}
