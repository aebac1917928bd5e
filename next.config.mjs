/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The server SDK runs a worker thread and loads its own modules at run time: keep it
  // out of the route bundles (smaller routes, and Node resolves it as published).
  serverExternalPackages: [
    "@getpara/server-sdk",
    "@getpara/core-sdk",
    "@getpara/user-management-client",
    "@getpara/viem-v2-integration",
    "@coinbase/cdp-sdk",
  ],
};

export default nextConfig;
