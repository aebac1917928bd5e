import "server-only";
import { getConfig } from "../config";
import { PARA_BROWSER_ORIGINS } from "../para/environments";

/**
 * The security headers of every response, from one place (`proxy.ts` sets them). The CSP allows
 * exactly the configured Para environment's API, portal and MPC hosts — para-local's in local mode —
 * and what the modal needs: inline styles (styled-components and Stencil inject them), images from
 * anywhere over https (the modal's icons), the portal in a frame (the password page) and as a worker
 * source. Scripts carry the request's nonce; 'strict-dynamic' lets Next's runtime load its chunks
 * (the on-demand Para SDK among them), and 'wasm-unsafe-eval' lets Para's signing worker run its
 * WebAssembly. `next dev` also needs eval (React's dev tools) and its HMR websocket.
 */
export function securityHeaders({ nonce, development }: { nonce: string; development: boolean }): Record<string, string> {
  const { para, session } = getConfig();
  const hosts = PARA_BROWSER_ORIGINS[para.environment];
  const csp = {
    "default-src": ["'self'"],
    "script-src": [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      "'wasm-unsafe-eval'",
      // The modal's React wrappers of its web components probe event support with
      // setAttribute("on<event>", "return;"): that one inline handler, by its hash, and no other.
      "'unsafe-hashes'",
      "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='",
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", "https:"],
    "font-src": ["'self'", "data:", "https:"],
    "connect-src": ["'self'", ...hosts.api, ...hosts.portal, ...hosts.mpc, ...(development ? ["ws:"] : [])],
    "frame-src": [...hosts.portal],
    "worker-src": ["'self'", "blob:", ...hosts.portal],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  const headers: Record<string, string> = {
    "content-security-policy": Object.entries(csp)
      .map(([directive, sources]) => `${directive} ${sources.join(" ")}`)
      .join("; "),
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
  };
  // Only where the app is served over HTTPS (production): a browser remembers it for two years.
  if (session.secureCookie) headers["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
