import { defineConfig } from "vitest/config";

// para-local owns fixed ports (8080, 3003), so test files run one at a time, and the two
// projects run one after the other (scripts/test.ts): `--project para-local`, then `--project app`.
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
