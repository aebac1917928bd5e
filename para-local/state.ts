import { randomBytes, randomUUID } from "node:crypto";

/** Wallet families para-local can create keys for. */
export type WalletType = "EVM" | "SOLANA" | "COSMOS";
/** Signature schemes as the SDK names them: secp256k1 wallets say DKLS, Solana says ED25519. */
export type WalletScheme = "DKLS" | "ED25519";
export type AuthType = "email" | "phone";
export type PregenIdentifierType = "EMAIL" | "PHONE" | "CUSTOM_ID" | "DISCORD" | "TWITTER" | "TELEGRAM" | "FARCASTER" | "GUEST_ID";

export const DEFAULT_SESSION_LENGTH_MS = 2 * 60 * 60 * 1000;

export interface Partner {
  id: string;
  apiKey: string;
  /** The partner's secret key, accepted by `/sessions/verify` as `x-external-api-key`. */
  secretKey: string;
  displayName: string;
  supportedWalletTypes: { type: WalletType; optional: boolean }[];
  cosmosPrefix: string;
}

export interface User {
  id: string;
  authType: AuthType;
  /** Email address or E.164 phone number, as the user typed it at sign-up. */
  identifier: string;
  verified: boolean;
  passwordId?: string;
  passwordSet: boolean;
  createdAt: number;
}

export interface Session {
  /** The opaque value the SDK keeps and sends back as `x-capsule-sid`. */
  cookie: string;
  /** What `getVerificationToken()` returns and `/sessions/verify` looks up. */
  lookupId: string;
  id: string;
  userId?: string;
  /** True once the user behind it has verified and set a credential. */
  authenticated: boolean;
  createdAt: number;
  expiresAt: number;
  currentWalletIds?: Partial<Record<WalletType, string[]>>;
}

export interface Wallet {
  id: string;
  protocolId: string;
  type: WalletType;
  scheme: WalletScheme;
  /** Owner; unset for a pregen wallet nobody has claimed. */
  userId?: string;
  partnerId: string;
  /** Hex public key reported by the worker after keygen; the address is derived from it. */
  publicKey?: string;
  address?: string;
  pregenIdentifier?: string;
  pregenIdentifierType?: PregenIdentifierType;
  createdAt: number;
}

/** Everything para-local knows, in memory. One instance per running para-local. */
export class Store {
  readonly partner: Partner;
  users = new Map<string, User>();
  sessions = new Map<string, Session>(); // by cookie
  wallets = new Map<string, Wallet>();
  sessionLengthMs = DEFAULT_SESSION_LENGTH_MS;
  /** Added to the wall clock, so tests can move time forward without waiting. */
  clockOffsetMs = 0;

  constructor(partner: Partner) {
    this.partner = partner;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  reset(): void {
    this.users.clear();
    this.sessions.clear();
    this.wallets.clear();
    this.sessionLengthMs = DEFAULT_SESSION_LENGTH_MS;
    this.clockOffsetMs = 0;
  }

  createSession(userId?: string): Session {
    const now = this.now();
    const session: Session = {
      cookie: `capsule.sid=s%3A${randomBytes(24).toString("base64url")}`,
      lookupId: randomUUID(),
      id: randomUUID(),
      userId,
      authenticated: false,
      createdAt: now,
      expiresAt: now + this.sessionLengthMs,
    };
    this.sessions.set(session.cookie, session);
    return session;
  }

  /** The live session for a cookie; expired sessions are dropped and read as missing. */
  findSession(cookie: string | undefined): Session | undefined {
    if (!cookie) return undefined;
    const session = this.sessions.get(cookie);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(cookie);
      return undefined;
    }
    return session;
  }

  findSessionByLookupId(lookupId: string): Session | undefined {
    for (const session of this.sessions.values()) {
      if (session.lookupId === lookupId) return this.findSession(session.cookie);
    }
    return undefined;
  }

  extendSession(session: Session): void {
    session.expiresAt = this.now() + this.sessionLengthMs;
  }

  findUserByIdentifier(authType: AuthType, identifier: string): User | undefined {
    for (const user of this.users.values()) {
      if (user.authType === authType && user.identifier === identifier) return user;
    }
    return undefined;
  }

  createUser(authType: AuthType, identifier: string): User {
    const user: User = { id: randomUUID(), authType, identifier, verified: false, passwordSet: false, createdAt: this.now() };
    this.users.set(user.id, user);
    return user;
  }

  createWallet(fields: Omit<Wallet, "id" | "protocolId" | "createdAt" | "partnerId">): Wallet {
    const wallet: Wallet = { ...fields, id: randomUUID(), protocolId: randomUUID(), partnerId: this.partner.id, createdAt: this.now() };
    this.wallets.set(wallet.id, wallet);
    return wallet;
  }

  walletsOf(userId: string): Wallet[] {
    return [...this.wallets.values()].filter((w) => w.userId === userId);
  }

  /** The wallet ids the SDK selects by default: the first wallet of each type. */
  currentWalletIdsOf(userId: string): Partial<Record<WalletType, string[]>> {
    const ids: Partial<Record<WalletType, string[]>> = {};
    for (const wallet of this.walletsOf(userId)) ids[wallet.type] ??= [wallet.id];
    return ids;
  }
}
