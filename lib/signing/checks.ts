import "server-only";
import { AppError } from "../errors";

/**
 * Fails the request unless a check on what Para signed holds: a signature that does not
 * recover to the wallet's address is never answered as a result.
 */
export function assertVerified(holds: boolean, what: string): void {
  if (!holds) throw new AppError("upstream_error", `The ${what} Para returned did not verify against the wallet's address.`);
}

/** The integration signs with another wallet than the one asked for: a setup mistake, not Para's. */
export function assertSameWallet(same: boolean): void {
  if (!same) throw new AppError("internal_error", "The signer picked a different wallet than the one requested.");
}
