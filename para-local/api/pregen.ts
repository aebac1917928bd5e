import { z } from "zod";
import type { PregenIdentifierType, Store, Wallet, WalletType } from "../state.js";
import { factory, fail, jsonBody } from "./context.js";
import { PREGEN_IDENTIFIER_TYPES, requireScheme, requireWallet, requireWalletType, walletEntity, walletKind } from "./wallet-entity.js";

/**
 * Pregenerated wallets: created by the partner's server for an identifier (email, phone, custom
 * id, …) before any user owns them. The partner's API key is the only credential; the SDK then
 * signs with them as the partner (`signerId` = partner id).
 */

const identityShape = {
  pregenIdentifierType: z.enum(PREGEN_IDENTIFIER_TYPES),
  pregenIdentifier: z
    .string()
    .max(256)
    .refine((value) => value.trim() !== "", "must not be empty"),
};

/** Emails and phone numbers must look like one (Para checks them; the other types are free text). */
function checkIdentifier(
  { pregenIdentifierType: type, pregenIdentifier: value }: { pregenIdentifierType: string; pregenIdentifier: string },
  ctx: z.RefinementCtx,
) {
  if (type === "EMAIL" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    ctx.addIssue({ code: "custom", path: ["pregenIdentifier"], message: "is not an email address" });
  if (type === "PHONE" && !/^\+[1-9]\d{6,14}$/.test(value.replace(/[\s()-]/g, "")))
    ctx.addIssue({ code: "custom", path: ["pregenIdentifier"], message: "is not an international phone number (+…)" });
}

const createBody = walletKind.extend(identityShape).superRefine(checkIdentifier);
const updateBody = z.object(identityShape).superRefine(checkIdentifier);

/** `POST /wallets/pregen`: keygen, step 1, for an identifier instead of a user. */
export const createPregenWallet = factory.createHandlers(jsonBody(createBody), (c) => {
  const store = c.get("store");
  const body = c.req.valid("json");
  const { pregenIdentifierType: identifierType, pregenIdentifier: identifier } = body;
  const type = requireWalletType(store, body.type);
  const scheme = requireScheme(type, body.scheme);
  const partnerId = c.get("partner").id;
  assertNoDuplicate(store, partnerId, type, identifierType, identifier);
  const wallet = store.createWallet({ type, scheme, partnerId, pregenIdentifier: identifier, pregenIdentifierType: identifierType });
  return c.json({ walletId: wallet.id, protocolId: wallet.protocolId });
});

/** `?ids[EMAIL][0]=a%40b.c&ids[CUSTOM_ID][0]=…&expand=false` (axios's nested-params encoding). */
export const findPregenWallets = factory.createHandlers((c) => {
  const store = c.get("store");
  const wanted = parsePregenIds(new URL(c.req.url).searchParams);
  const partnerId = c.get("partner").id;
  const wallets = [...store.wallets.values()].filter(
    (w) =>
      w.partnerId === partnerId && !w.userId && w.pregenIdentifierType && wanted.get(w.pregenIdentifierType)?.has(w.pregenIdentifier ?? ""),
  );
  return c.json({ wallets: wallets.map(walletEntity) });
});

/** `PATCH /wallets/pregen/:walletId`: moves an unclaimed wallet to another identifier. */
export const updatePregenWallet = factory.createHandlers(jsonBody(updateBody), (c) => {
  const store = c.get("store");
  const { pregenIdentifierType: identifierType, pregenIdentifier: identifier } = c.req.valid("json");
  const wallet = requireWallet(store, c.req.param("walletId") ?? "", c.get("partner").id);
  if (wallet.userId || !wallet.pregenIdentifierType) fail(409, "only an unclaimed pregenerated wallet can change its identifier");
  assertNoDuplicate(store, wallet.partnerId, wallet.type, identifierType, identifier, wallet);
  wallet.pregenIdentifier = identifier;
  wallet.pregenIdentifierType = identifierType;
  return c.json({ wallet: walletEntity(wallet) });
});

/** One unclaimed wallet per partner, wallet type and identifier, as Para enforces (409). */
function assertNoDuplicate(
  store: Store,
  partnerId: string,
  type: WalletType,
  identifierType: PregenIdentifierType,
  identifier: string,
  except?: Wallet,
): void {
  for (const other of store.wallets.values()) {
    if (
      other !== except &&
      other.partnerId === partnerId &&
      !other.userId &&
      other.type === type &&
      other.pregenIdentifierType === identifierType &&
      other.pregenIdentifier === identifier
    ) {
      fail(409, `a pregenerated ${type} wallet already exists for ${identifierType} ${identifier} (wallet ${other.id})`);
    }
  }
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
