import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// para-local owns fixed ports (8080, 3003), so test files run one at a time, and the
// projects run one after the other (scripts/test.ts): `--project para-local`, `lib`, then `app`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "para-local",
          include: ["para-local/test/**/*.test.ts"],
          globalSetup: ["para-local/test/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // lib/ imported straight into Node with a real database (PGlite, and Postgres when installed).
        resolve: { alias: { "server-only": fileURLToPath(new URL("./tests/lib/server-only.ts", import.meta.url)) } },
        test: {
          name: "lib",
          include: ["tests/lib/**/*.test.ts"],
          globalSetup: ["tests/lib/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Opt-in: the Para contract against SANDBOX (`npm run test:sandbox`); skipped without a sandbox_ key.
        test: {
          name: "sandbox",
          include: ["tests/sandbox/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "app",
          include: ["tests/app/**/*.test.ts"],
          globalSetup: ["tests/app/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
