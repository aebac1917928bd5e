/**
 * What every recipe signs. The server builds both; no client-supplied message or transaction
 * is ever signed as it is (blind signing is how a leaked session drains a wallet).
 */
export const DEMO_MESSAGE = "Para server-side signing demo: this signature shows the server can sign for this wallet. It moves no funds.";

/**
 * What a scheduled message action signs: the user's note inside the server's own text, so it can
 * never pass for another app's message (a sign-in request, a permit).
 */
export function scheduledMessage(note: string, actionId: string, at: Date): string {
  return `Para server-side signing demo, scheduled action ${actionId} for ${at.toISOString()}. It moves no funds. Note: ${note}`;
}

/** The demo transactions send this little to the wallet itself. */
export const DEMO_AMOUNT = {
  /** 1 gwei. */
  wei: 1_000_000_000n,
  lamports: 1_000,
  uatom: "1",
} as const;

/** EVM nonce and fees when no RPC URL is set: fixed, so signing needs no network. */
export const DEMO_EVM_FEES = { nonce: 0, maxFeePerGas: 20_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
