import { z } from "zod";
import { factory, jsonBody } from "./context.js";

/**
 * The browser SDK's side calls. None of them matter to a session, but an error makes the
 * modal show "Connection error" or retry, so each gets a quiet, truthful 200: no assets,
 * no on-ramp providers, no balances, telemetry accepted and dropped.
 */

/** `GET /assets`: token metadata for balances; para-local knows no chain. */
export const listAssets = factory.createHandlers((c) => c.json({ assets: {} }));

/** Buying and selling need providers para-local does not have; receiving only shows an address. */
export const onRampConfig = factory.createHandlers((c) =>
  c.json({ isBuyEnabled: false, isReceiveEnabled: true, isWithdrawEnabled: false, isSendEnabled: false, assetInfo: {}, providers: [] }),
);

/**
 * The modal's balance panel (`getProfileBalance`). para-local reads no chain, so every wallet
 * it is asked about holds no assets and is worth $0.00.
 */
const balancesBody = z.object({ wallets: z.array(z.object({ type: z.string(), address: z.string() })).default([]) });

export const getBalances = factory.createHandlers(jsonBody(balancesBody), (c) => {
  const empty = { value: { value: 0, currency: "USD" }, formattedValue: "$0.00" };
  const balances = c.req.valid("json").wallets.map(({ type, address }) => ({ type, address, assets: [], ...empty }));
  return c.json({ balance: { wallets: balances, ...empty } });
});

/** Telemetry (`/partners/analytics/react-sdk`, `/errors/sdk`): any JSON object, accepted and dropped. */
export const dropTelemetry = factory.createHandlers(jsonBody(z.looseObject({})), (c) => c.json({}));
