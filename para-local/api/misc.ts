import { Hono } from "hono";
import { type ApiEnv, fail, readJson } from "./context.js";

/**
 * The browser SDK's side calls. None of them matter to a session, but an error makes the
 * modal show "Connection error" or retry, so each gets a quiet, truthful 200: no assets,
 * no on-ramp providers, no balances, telemetry accepted and dropped.
 */
export const miscRoutes = new Hono<ApiEnv>();

/** Token metadata for balances; para-local knows no chain. */
miscRoutes.get("/assets", (c) => c.json({ assets: {} }));

/** Buying and selling need providers para-local does not have; receiving only shows an address. */
miscRoutes.get("/on-ramp-config", (c) =>
  c.json({ isBuyEnabled: false, isReceiveEnabled: true, isWithdrawEnabled: false, isSendEnabled: false, assetInfo: {}, providers: [] }),
);

/**
 * The modal's balance panel (`getProfileBalance`). para-local reads no chain, so every wallet
 * it is asked about holds no assets and is worth $0.00.
 */
miscRoutes.post("/assets/balances", async (c) => {
  const { wallets = [] } = await readJson(c);
  if (!Array.isArray(wallets)) fail(400, "wallets must be an array");
  const empty = { value: { value: 0, currency: "USD" }, formattedValue: "$0.00" };
  const balances = wallets.map((wallet: unknown, index: number) => {
    const { type, address } = (wallet && typeof wallet === "object" ? wallet : {}) as Record<string, unknown>;
    if (typeof type !== "string" || typeof address !== "string") fail(400, `wallets[${index}] needs a type and an address`);
    return { type, address, assets: [], ...empty };
  });
  return c.json({ balance: { wallets: balances, ...empty } });
});

miscRoutes.post("/partners/analytics/react-sdk", async (c) => {
  await readJson(c);
  return c.json({});
});

miscRoutes.post("/errors/sdk", async (c) => {
  await readJson(c);
  return c.json({});
});
