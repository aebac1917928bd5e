import { describe, expect, it } from "vitest";
import { AppClient } from "./client";

/** The directives of a CSP header, by name. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe("security headers (proxy.ts, lib/http/security-headers.ts)", () => {
  it("every page and API answer carries them; the CSP allows exactly para-local's hosts", async () => {
    for (const path of ["/", "/examples", "/mode", "/api/health", "/api/no-such-route"]) {
      const response = await new AppClient().request("GET", path);
      const csp = directives(response.headers.get("content-security-policy"));
      expect(csp["frame-ancestors"], path).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["connect-src"]).toEqual([
        "'self'",
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        "http://localhost:3003",
        "http://127.0.0.1:3003",
        "ws://localhost:3000",
        "http://localhost:3000",
      ]);
      expect(csp["frame-src"]).toEqual(["http://localhost:3003", "http://127.0.0.1:3003"]);
      expect(csp["script-src"]).not.toContain("'unsafe-inline'");
      expect(csp["script-src"]).not.toContain("'unsafe-eval'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      // The production build is served as if over HTTPS.
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
    }
  });

  it("each page gets its own nonce, and Next puts it on the scripts it renders", async () => {
    const nonceOf = (csp: string | null) =>
      directives(csp)
        ["script-src"]!.find((source) => source.startsWith("'nonce-"))!
        .slice(7, -1);
    const first = await new AppClient().request("GET", "/");
    const second = await new AppClient().request("GET", "/");
    const nonce = nonceOf(first.headers.get("content-security-policy"));
    expect(nonce).not.toBe(nonceOf(second.headers.get("content-security-policy")));
    const scripts = first.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});
