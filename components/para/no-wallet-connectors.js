// Stands in for @getpara/{evm,solana,cosmos}-wallet-connectors (next.config.mjs aliases them here).
// react-sdk-lite `import()`s each on mount and, finding no provider in it, connects no external
// wallets — which this app never offers: users sign in with email, phone or OAuth. Without the alias the
// three would be bundled and fetched by every page (Cosmos alone is about 1.2 MB gzip).
export {};
