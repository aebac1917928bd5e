import { Hono } from "hono";
import type { PregenIdentifierType, Store, Wallet, WalletType } from "../state.js";
import { type ApiEnv, fail, readJson } from "./context.js";
import { PREGEN_IDENTIFIER_TYPES, requireScheme, requireWallet, requireWalletType, walletEntity } from "./wallet-entity.js";

/**
 * Pregenerated wallets: created by the partner's server for an identifier (email, phone, custom
 * id, …) before any user owns them. The partner's API key is the only credential; the SDK then
 * signs with them as the partner (`signerId` = partner id).
 */
export const pregenRoutes = new Hono<ApiEnv>();

pregenRoutes.post("/wallets/pregen", async (c) => {
  const store = c.get("store");
  const body = await readJson(c);
  const { identifierType, identifier } = requireIdentifier(body.pregenIdentifierType, body.pregenIdentifier);
  const type = requireWalletType(store, body.type);
  const scheme = requireScheme(type, body.scheme);
  assertNoDuplicate(store, type, identifierType, identifier);
  const wallet = store.createWallet({ type, scheme, pregenIdentifier: identifier, pregenIdentifierType: identifierType });
  return c.json({ walletId: wallet.id, protocolId: wallet.protocolId });
});

/** `?ids[EMAIL][0]=a%40b.c&ids[CUSTOM_ID][0]=…&expand=false` (axios's nested-params encoding). */
pregenRoutes.get("/wallets/pregen", (c) => {
  const store = c.get("store");
  const wanted = parsePregenIds(new URL(c.req.url).searchParams);
  const wallets = [...store.wallets.values()].filter(
    (w) =>
      w.partnerId === store.partner.id &&
      !w.userId &&
      w.pregenIdentifierType &&
      wanted.get(w.pregenIdentifierType)?.has(w.pregenIdentifier ?? ""),
  );
  return c.json({ wallets: wallets.map(walletEntity) });
});

pregenRoutes.patch("/wallets/pregen/:walletId", async (c) => {
  const store = c.get("store");
  const body = await readJson(c);
  const { identifierType, identifier } = requireIdentifier(body.pregenIdentifierType, body.pregenIdentifier);
  const wallet = requireWallet(store, c.req.param("walletId"));
  if (wallet.userId || !wallet.pregenIdentifierType) fail(409, "only an unclaimed pregenerated wallet can change its identifier");
  assertNoDuplicate(store, wallet.type, identifierType, identifier, wallet);
  wallet.pregenIdentifier = identifier;
  wallet.pregenIdentifierType = identifierType;
  return c.json({ wallet: walletEntity(wallet) });
});

/** One unclaimed wallet per partner, wallet type and identifier, as Para enforces (409). */
function assertNoDuplicate(
  store: Store,
  type: WalletType,
  identifierType: PregenIdentifierType,
  identifier: string,
  except?: Wallet,
): void {
  for (const other of store.wallets.values()) {
    if (
      other !== except &&
      !other.userId &&
      other.type === type &&
      other.pregenIdentifierType === identifierType &&
      other.pregenIdentifier === identifier
    ) {
      fail(409, `a pregenerated ${type} wallet already exists for ${identifierType} ${identifier} (wallet ${other.id})`);
    }
  }
}

function requireIdentifier(typeValue: unknown, value: unknown): { identifierType: PregenIdentifierType; identifier: string } {
  const identifierType = PREGEN_IDENTIFIER_TYPES.find((t) => t === typeValue);
  if (!identifierType) fail(400, `pregenIdentifierType must be one of ${PREGEN_IDENTIFIER_TYPES.join(", ")}`);
  if (typeof value !== "string" || value.trim() === "" || value.length > 256)
    fail(400, "pregenIdentifier must be a non-empty string of at most 256 characters");
  if (identifierType === "EMAIL" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) fail(400, "pregenIdentifier is not an email address");
  if (identifierType === "PHONE" && !/^\+[1-9]\d{6,14}$/.test(value.replace(/[\s()-]/g, "")))
    fail(400, "pregenIdentifier is not an international phone number (+…)");
  return { identifierType, identifier: value };
}

/** Identifier type → identifiers from `ids[TYPE]`, `ids[TYPE][]` or `ids[TYPE][n]` keys; 400 on anything else. */
function parsePregenIds(params: URLSearchParams): Map<PregenIdentifierType, Set<string>> {
  const ids = new Map<PregenIdentifierType, Set<string>>();
  for (const [key, value] of params) {
    if (!key.startsWith("ids")) continue;
    const match = /^ids\[([A-Z_]+)\](?:\[\d*\])?$/.exec(key);
    const type = PREGEN_IDENTIFIER_TYPES.find((t) => t === match?.[1]);
    if (!type) fail(400, `unsupported query parameter ${key}`);
    let set = ids.get(type);
    if (!set) ids.set(type, (set = new Set()));
    set.add(value);
  }
  if (ids.size === 0) fail(400, "ids is required, e.g. ids[EMAIL][0]=user@example.com");
  return ids;
}
