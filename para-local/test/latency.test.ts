// Para's network round trip, as para-local adds it to every API answer (`--latency`,
// PARA_LOCAL_LATENCY_MS, `startParaLocal({latencyMs})`). The suite's para-local holds :8080 and
// answers at once, so these start the API app on a port of their own.
import { spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../api/app.js";
import { createLogger } from "../log.js";
import { LOCAL_PARTNER, OTHER_PARTNER, parseLatency, startParaLocal } from "../server.js";
import { Store } from "../state.js";

describe("an API with latency", () => {
  const store = new Store([LOCAL_PARTNER, OTHER_PARTNER]);
  const latency = { ms: 200 };
  const server = createAdaptorServer({ fetch: createApi(store, { testMode: true, log: createLogger({ quiet: true }), latency }).fetch });
  let url = "";

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The request's answer and how long it took, from sending to the whole body. */
  async function timed(path: string, init: RequestInit = {}) {
    const started = performance.now();
    const response = await fetch(`${url}${path}`, init);
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  }

  it("answers every request, an error as much as a success, no sooner than the latency", async () => {
    const before = store.apiRequests;
    const answers = await Promise.all([
      timed("/health"),
      timed("/touch", { method: "POST", headers: { "x-external-api-key": LOCAL_PARTNER.apiKey } }),
      timed(`/partners/${LOCAL_PARTNER.id}`, { headers: { "x-external-api-key": LOCAL_PARTNER.apiKey } }),
      timed("/touch", { method: "POST", headers: { "x-external-api-key": "not-a-key" } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 403]);
    for (const answer of answers) expect(answer.ms).toBeGreaterThanOrEqual(latency.ms);
    // Each counts once: the latency adds time, not calls.
    expect(store.apiRequests - before).toBe(4);
  });

  it("reads the latency on every request, so whoever holds it can change it while the API runs", async () => {
    latency.ms = 400;
    try {
      expect((await timed("/health")).ms).toBeGreaterThanOrEqual(400);
    } finally {
      latency.ms = 200;
    }
  });

  it("answers the test controls at once: they are no part of Para", async () => {
    latency.ms = 20_000;
    try {
      const control = await timed("/test/reset", { method: "POST" });
      expect(control.status).toBe(200);
      expect(control.ms).toBeLessThan(20_000);
    } finally {
      latency.ms = 200;
    }
  });
});

describe("the latency setting", () => {
  it.each([
    ["0", 0],
    ["30", 30],
    [" 250 ", 250],
    ["60000", 60_000],
  ])("reads %j as %d ms", (text, ms) => {
    expect(parseLatency(text)).toBe(ms);
  });

  it.each(["", "-5", "1.5", "30ms", "abc"])("refuses %j: a whole number of milliseconds", (text) => {
    expect(() => parseLatency(text)).toThrow(/not a whole number of milliseconds/);
  });

  it("refuses more than a minute, and startParaLocal refuses it before it takes the ports", async () => {
    expect(() => parseLatency("60001")).toThrow(/outside 0 to 60000 ms/);
    // The suite's para-local holds the ports: a refusal that names the range came before listening.
    await expect(startParaLocal({ latencyMs: -1 })).rejects.toThrow(/outside 0 to 60000 ms/);
    await expect(startParaLocal({ latencyMs: 1.5 })).rejects.toThrow(/outside 0 to 60000 ms/);
  });

  /** Runs the CLI; the suite's para-local holds the ports, so a latency it accepts ends at "already in use". */
  function cli(args: string[], env: Record<string, string> = { PARA_LOCAL_LATENCY_MS: "" }) {
    const result = spawnSync(process.execPath, ["--import", "tsx", "para-local/main.ts", ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  it("npm run para-local -- --latency: a bad value exits 1 naming the flag, or the variable when there is no flag", () => {
    const fromFlag = cli(["--latency", "30ms"]);
    expect(fromFlag.status).toBe(1);
    expect(fromFlag.stderr).toMatch(/^para-local: --latency: latency "30ms" is not a whole number of milliseconds/);
    const fromEnv = cli([], { PARA_LOCAL_LATENCY_MS: "-1" });
    expect(fromEnv.status).toBe(1);
    expect(fromEnv.stderr).toMatch(/^para-local: PARA_LOCAL_LATENCY_MS: latency "-1"/);
    const flagWins = cli(["--latency", "30"], { PARA_LOCAL_LATENCY_MS: "-1" });
    expect(flagWins.stderr).not.toMatch(/latency/);
    expect(flagWins.stderr).toMatch(/port 8080 on 127\.0\.0\.1 is already in use/);
  });
});
