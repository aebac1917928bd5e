import { defineConfig } from "vitest/config";

// para-local owns fixed ports (8080, 3003), so test files run one at a time against one instance.
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
    ],
  },
});
