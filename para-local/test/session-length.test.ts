// The session length para-local starts with (`--session-length`, PARA_LOCAL_SESSION_LENGTH,
// `startParaLocal({sessionLengthMs})`), as Para's developer portal sets it per API key.
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { LOCAL_PARTNER, OTHER_PARTNER, startParaLocal } from "../server.js";
import { DEFAULT_SESSION_LENGTH_MS, formatSessionLength, parseSessionLength } from "../session-length.js";
import { Store } from "../state.js";
import { cookieExpires, mintSession, resetParaLocal, setSessionLength } from "../testing/index.js";

const MINUTE = 60 * 1000;

afterAll(() => resetParaLocal());

describe("parseSessionLength", () => {
  it.each([
    ["90s", 90 * 1000],
    ["1m", MINUTE],
    ["30m", 30 * MINUTE],
    ["6h", 6 * 60 * MINUTE],
    ["30d", 30 * 24 * 60 * MINUTE],
    [" 2h ", 2 * 60 * MINUTE],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseSessionLength(text)).toBe(ms);
  });

  it.each(["30", "30 m", "30min", "1.5h", "-5m", "m", "", "30M"])("refuses %j: a whole number and a unit", (text) => {
    expect(() => parseSessionLength(text)).toThrow(/unit s, m, h or d/);
  });

  it.each(["59s", "0m", "31d", "721h"])("refuses %j: outside 1 minute to 30 days", (text) => {
    expect(() => parseSessionLength(text)).toThrow(/1 minute \(1m\) to 30 days \(30d\)/);
  });

  it("defaults to 30 minutes, and writes lengths back in the same syntax", () => {
    expect(DEFAULT_SESSION_LENGTH_MS).toBe(30 * MINUTE);
    expect(formatSessionLength(DEFAULT_SESSION_LENGTH_MS)).toBe("30m");
    expect(formatSessionLength(90 * 1000)).toBe("90s");
    expect(formatSessionLength(30 * 24 * 60 * MINUTE)).toBe("30d");
  });
});

describe("the length a Store starts with", () => {
  it("lasts new and extended sessions, and reset() comes back to it rather than to the default", () => {
    const store = new Store([LOCAL_PARTNER, OTHER_PARTNER], { sessionLengthMs: 6 * 60 * MINUTE });
    const session = store.createSession(LOCAL_PARTNER.id);
    expect(session.expiresAt - session.createdAt).toBe(6 * 60 * MINUTE);
    store.sessionLengthMs = MINUTE; // what /test/session-length does
    store.reset();
    expect(store.sessionLengthMs).toBe(6 * 60 * MINUTE);
    const next = store.createSession(LOCAL_PARTNER.id);
    expect(next.expiresAt - next.createdAt).toBe(6 * 60 * MINUTE);
  });

  it("startParaLocal refuses a length outside Para's range before it takes the ports", async () => {
    // The suite's para-local holds the ports: a refusal that names the range came before listening.
    await expect(startParaLocal({ sessionLengthMs: 30 * 1000 })).rejects.toThrow(/outside Para's range/);
    await expect(startParaLocal({ sessionLengthMs: 31 * 24 * 60 * MINUTE })).rejects.toThrow(/outside Para's range/);
  });

  it("the running para-local: /test/session-length changes it, /test/reset restores the start length (30 minutes here)", async () => {
    await setSessionLength(MINUTE);
    expect(cookieExpires((await mintSession()).sessionCookie) - Date.now()).toBeLessThanOrEqual(MINUTE);
    await resetParaLocal();
    const remaining = cookieExpires((await mintSession()).sessionCookie) - Date.now();
    expect(remaining).toBeGreaterThan(29 * MINUTE);
    expect(remaining).toBeLessThanOrEqual(30 * MINUTE);
  });
});

describe("npm run para-local -- --session-length", () => {
  /** Runs the CLI; the suite's para-local holds the ports, so a length it accepts ends at "already in use". */
  function cli(args: string[], env: Record<string, string> = { PARA_LOCAL_SESSION_LENGTH: "" }) {
    const result = spawnSync(process.execPath, ["--import", "tsx", "para-local/main.ts", ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  it("exits 1 with a message naming the flag for a bad value", () => {
    const result = cli(["--session-length", "30x"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^para-local: --session-length: session length "30x" is not a whole number with a unit/);
    expect(cli(["--session-length", "45d"]).stderr).toMatch(/--session-length: session length 45d is outside Para's range/);
  });

  it("reads PARA_LOCAL_SESSION_LENGTH when there is no flag (empty is unset); the flag wins over it", () => {
    const fromEnv = cli([], { PARA_LOCAL_SESSION_LENGTH: "10" });
    expect(fromEnv.status).toBe(1);
    expect(fromEnv.stderr).toMatch(/^para-local: PARA_LOCAL_SESSION_LENGTH: session length "10"/);
    const flagWins = cli(["--session-length", "6h"], { PARA_LOCAL_SESSION_LENGTH: "10" });
    expect(flagWins.stderr).not.toMatch(/session length/);
    expect(flagWins.stderr).toMatch(/port 8080 on 127\.0\.0\.1 is already in use/);
    expect(cli([], { PARA_LOCAL_SESSION_LENGTH: "" }).stderr).toMatch(/^para-local: port 8080 .* already in use/);
  });
});
