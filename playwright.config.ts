import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "./e2e/chromium";
import { DEV_KEYS } from "./local-chain/start";

/** Where the app under test listens: not 3000 (next dev), 8080 or 3003 (para-local). */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
/** `next dev`, for the console checks: React reports hydration mismatches and duplicate keys only in development. */
const DEV_PORT = Number(process.env.E2E_DEV_PORT ?? 3200);
const devURL = `http://localhost:${DEV_PORT}`;
const CI = !!process.env.CI;
/** The specs' own local chain and bundler (`npm run chain` on other ports), for the EVM broadcasts and the smart-account recipe. */
const CHAIN = { rpc: 28545, bundler: 24337 };
const CHAIN_ENV = {
  LOCAL_CHAIN_RPC_URL: `http://127.0.0.1:${CHAIN.rpc}`,
  LOCAL_BUNDLER_URL: `http://127.0.0.1:${CHAIN.bundler}`,
  LOCAL_CHAIN_FUNDER_KEY: DEV_KEYS.funder,
};

const chromium = { ...devices["Desktop Chrome"], launchOptions: CHROMIUM_LAUNCH };

export default defineConfig({
  testDir: "e2e",
  // Specs share one para-local and its fixed ports; they isolate by user, not by process.
  fullyParallel: false,
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", testIgnore: "dev-console.spec.ts", use: chromium },
    // The pages' console under `next dev` too (the production build keeps React's dev warnings quiet),
    // and the whole real path there, warnings included (dev-console.spec.ts).
    { name: "chromium-next-dev", testMatch: ["pages-console.spec.ts", "dev-console.spec.ts"], use: { ...chromium, baseURL: devURL } },
  ],
  webServer: [
    {
      // The bundler's port opens once the chain is up and the EntryPoint deployed.
      command: `node --import tsx local-chain/main.ts --rpc-port ${CHAIN.rpc} --bundler-port ${CHAIN.bundler}`,
      port: CHAIN.bundler,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: "node --import tsx para-local/main.ts --test --quiet",
      url: "http://localhost:8080/health",
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // A production build, as deployed (`npm start` applies migrations first); `npm test`
      // builds once for the route tests and these, and sets E2E_SKIP_BUILD=1.
      command: `${process.env.E2E_SKIP_BUILD ? "" : "npx next build && "}npm start --silent -- -p ${PORT}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 600_000,
      env: { NEXT_TELEMETRY_DISABLED: "1", PARA_API_KEY: "", PARA_DATA_DIR: path.resolve("test-results/e2e-data"), ...CHAIN_ENV },
    },
    {
      // Next 16 keeps `next dev`'s output in .next/dev, beside the production build in .next.
      command: `npm run --silent db:migrate && npx next dev -p ${DEV_PORT}`,
      url: `${devURL}/api/health`,
      reuseExistingServer: false,
      timeout: 300_000,
      env: { NEXT_TELEMETRY_DISABLED: "1", PARA_API_KEY: "", PARA_DATA_DIR: path.resolve("test-results/e2e-dev-data") },
    },
  ],
});
