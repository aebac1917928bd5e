/** A wallet as the browser SDK lists it (`availableWallets`): one entry per type, its address as Para displays it. */
export interface BrowserWallet {
  id: string;
  type?: string;
  address?: string;
}

/**
 * The browser's wallets, one per type. Para's one DKLS key serves EVM and Cosmos, so two rows
 * may share a wallet id; the Cosmos row shows the bech32 address derived from it.
 */
export function BrowserWallets({ wallets }: { wallets: BrowserWallet[] | undefined }) {
  if (!wallets?.length) return <p className="muted">No wallets yet.</p>;
  return (
    <ul className="wallets" aria-label="Wallets in this browser">
      {wallets.map((wallet) => (
        <li key={`${wallet.type}:${wallet.id}`} data-testid={`browser-wallet-${wallet.type}`}>
          <span className="badge">{wallet.type}</span>{" "}
          {/* The EVM address keeps the plain "wallet-address" id: the specs read it as the address that signs. */}
          <code data-testid={wallet.type === "EVM" ? "wallet-address" : undefined}>{wallet.address ?? "no address yet"}</code>
        </li>
      ))}
    </ul>
  );
}
