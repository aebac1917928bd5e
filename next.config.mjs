import { withWorkflow } from "workflow/next";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // A second build or dev server in the same checkout (the test suite's, say) needs its own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The server SDK runs a worker thread and loads its own modules at run time: keep it
  // out of the route bundles (smaller routes, and Node resolves it as published).
  serverExternalPackages: [
    "@getpara/server-sdk",
    "@getpara/core-sdk",
    "@getpara/user-management-client",
    "@getpara/viem-v2-integration",
    // rate-limiter-flexible loads drizzle-orm's operators with a computed import() at run time.
    "rate-limiter-flexible",
    // PGlite loads its WebAssembly and data files from its own package folder.
    "@electric-sql/pglite",
  ],
  // The app signs in with email, phone and OAuth, no external wallets: react-sdk-lite's connectors become an
  // empty module, so no page bundles or fetches them (components/para/no-wallet-connectors.js).
  turbopack: {
    resolveAlias: Object.fromEntries(
      ["evm", "solana", "cosmos"].map((chain) => [`@getpara/${chain}-wallet-connectors`, "./components/para/no-wallet-connectors.js"]),
    ),
  },
  outputFileTracingExcludes: {
    "*": [
      // Local data (secrets, the embedded database) and test output are never part of a deployment:
      // the tracer follows the data-folder paths in lib/config.ts and would copy whatever is there.
      ".data/**",
      "test-results/**",
      // On Vercel DATABASE_URL is required and PGlite is never loaded (lib/db/client.ts imports it
      // on demand): keep its WebAssembly and data files out of every function.
      ...(process.env.VERCEL ? ["node_modules/@electric-sql/pglite/**"] : []),
    ],
  },
};

// The durable-workflow engine: finds "use workflow" and "use step" functions and adds their routes.
export default withWorkflow(nextConfig);
