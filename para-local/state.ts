import { randomBytes, randomUUID } from "node:crypto";
import type { JwtKey } from "./jwt-keys.js";
import { DEFAULT_SESSION_LENGTH_MS } from "./session-length.js";

/** Wallet families para-local can create keys for. */
export type WalletType = "EVM" | "SOLANA" | "COSMOS";
/** Signature schemes as the SDK names them: secp256k1 wallets say DKLS, Solana says ED25519. */
export type WalletScheme = "DKLS" | "ED25519";
export type AuthType = "email" | "phone";

/**
 * The OAuth providers as Para's answers name them (`data.oAuthMethod` in a JWT, `oAuthMethod` in
 * `/sessions/verify`'s answer). The SDK names them GOOGLE, TWITTER, APPLE, DISCORD, FACEBOOK
 * (`OAUTH_METHODS` in @getpara/shared); `oauth.ts` maps one to the other.
 */
export const OAUTH_METHODS = ["google", "x", "apple", "discord", "facebook"] as const;
export type OAuthMethod = (typeof OAUTH_METHODS)[number];

/**
 * A session's OAuth sign-in, from the portal's consent page: the provider, what the user answered,
 * and whether `/users/verify-oauth` has handed the SDK the answer yet (the page closes only then).
 */
export interface OAuthSignIn {
  method: OAuthMethod;
  outcome: "consented" | "refused";
  delivered: boolean;
}

/** The wallet types one key of a scheme serves (the SDK's `WalletSchemeTypeMap`). */
export const SCHEME_TYPES: Record<WalletScheme, readonly WalletType[]> = { DKLS: ["EVM", "COSMOS"], ED25519: ["SOLANA"] };
export type PregenIdentifierType = "EMAIL" | "PHONE" | "CUSTOM_ID" | "DISCORD" | "TWITTER" | "TELEGRAM" | "FARCASTER" | "GUEST_ID";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email as para-local keys users by it (trimmed, lower-case), or undefined when it is not one. */
export function normaliseEmail(email: string): string | undefined {
  const identifier = email.trim().toLowerCase();
  return EMAIL.test(identifier) ? identifier : undefined;
}

/** The `name=value` part of a session cookie the SDK sends back, without its attributes. */
export function cookieKey(cookie: string): string {
  return cookie.split(";")[0]!.trim();
}

const REQUEST_LOG_SIZE = 500;

/** One API request as para-local saw it: which of the partner-key headers it carried (names only, never values). */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  keyHeaders: string[];
}

/** The next `remaining` requests matching `method` and `path` wait `ms` before they are answered. */
export interface RequestDelay {
  method: string;
  path: RegExp;
  ms: number;
  remaining: number;
}

/** The next `remaining` requests matching `method` and `path` answer `status` with `message` instead of reaching their route. */
export interface RequestFault {
  method: string;
  path: RegExp;
  status: number;
  message: string;
  remaining: number;
}

/**
 * How keep-alive answers (`/test/keep-alive/mode`): `renew` extends and re-sends the cookie with
 * the later `Expires`; `silent` extends and sends no cookie; `stale` extends but re-sends the
 * cookie with the `Expires` it had before; `ignore` answers 200, re-sends the cookie, and extends nothing.
 */
export const KEEP_ALIVE_MODES = ["renew", "silent", "stale", "ignore"] as const;
export type KeepAliveMode = (typeof KEEP_ALIVE_MODES)[number];

/** Statuses a used-up keep-alive limit may answer: what a refusal could be; the SDK reads each as `false`. */
export const KEEP_ALIVE_LIMIT_STATUSES = [401, 403, 429, 500, 503] as const;
export type KeepAliveLimitStatus = (typeof KEEP_ALIVE_LIMIT_STATUSES)[number];

/** Only `allow` keep-alive calls (all sessions together) per window of `windowMs`; a window starts at the first call after the last one ended. */
export interface KeepAliveLimit {
  allow: number;
  windowMs: number;
  status: KeepAliveLimitStatus;
  windowStartedAt?: number;
  used: number;
}

/** The next `remaining` `/touch` answers for a user's live sessions say "not signed in"; with `newCookie`, under a new anonymous session's cookie. */
export interface FalseNegative {
  remaining: number;
  newCookie: boolean;
}

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
  /** The providers that have vouched for this email (an OAuth user is an email user to Para). */
  oAuthMethods?: OAuthMethod[];
  createdAt: number;
}

/**
 * A password credential. The SDK creates it PENDING (`POST /users/:id/passwords/key`); the
 * portal's password page completes it. As on Para, the password guards an RSA key pair: the
 * SDK encrypts the user's share to the public key, and the private key is stored only
 * encrypted under a key derived from the password (see `credentials.ts`).
 */
export interface PasswordCredential {
  id: string;
  userId: string;
  status: "PENDING" | "COMPLETE";
  /** What the password page needs to check a password and open the private key; set when complete. */
  secret?: { salt: string; hash: string; publicKeyHex: string; encryptedPrivateKey: string };
  createdAt: number;
}

/** A user's share as the SDK uploads it (`POST /users/:id/key-shares`), encrypted on the device. */
export interface KeyShare {
  userId: string;
  walletId: string;
  type: string;
  encryptor: string;
  encryptedShare: string;
  encryptedKey?: string;
  passwordId?: string;
  biometricPublicKey?: string;
  recoveryPublicKeyId?: string;
  partnerId?: string;
  protocolId?: string;
  createdAt: number;
}

/** A share handed to one signing-in session, encrypted to that device's one-time key. */
export interface TemporaryShare {
  userId: string;
  walletId: string;
  walletScheme: WalletScheme;
  encryptedShare: string;
  encryptedKey: string;
}

export interface Session {
  /** The opaque value the SDK keeps and sends back as `x-capsule-sid`. */
  cookie: string;
  /** The app (partner) whose API key started the session. */
  partnerId: string;
  /** What `getVerificationToken()` returns and `/sessions/verify` looks up. */
  lookupId: string;
  id: string;
  userId?: string;
  /** True once the user behind it has verified and set a credential. */
  authenticated: boolean;
  createdAt: number;
  expiresAt: number;
  currentWalletIds?: Partial<Record<WalletType, string[]>>;
  /** Set when the session's sign-in started at an OAuth provider (the modal's Google, X, … buttons). */
  oAuth?: OAuthSignIn;
}

/** The provider a session signed in with, for Para's answers (JWT claims, `/sessions/verify`); none for email or phone. */
export function oAuthMethodOf(session: Session): OAuthMethod | undefined {
  return session.oAuth?.outcome === "consented" ? session.oAuth.method : undefined;
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

export interface StoreOptions {
  /** Length of new and extended sessions, until `/test/session-length` changes it; `reset()` comes back to it. */
  sessionLengthMs?: number;
}

/** Everything para-local knows, in memory. One instance per running para-local. */
export class Store {
  /** The main partner: the app's own API key, and the one used where no caller names another. */
  readonly partner: Partner;
  /** Every partner para-local answers for, the main one first. */
  readonly partners: readonly Partner[];
  /** The session length para-local was started with. */
  readonly startSessionLengthMs: number;
  users = new Map<string, User>();
  sessions = new Map<string, Session>(); // by cookie
  wallets = new Map<string, Wallet>();
  passwords = new Map<string, PasswordCredential>(); // by id
  keyShares: KeyShare[] = [];
  /** By session lookup id: what the portal's login page prepared for that session's device. */
  temporaryShares = new Map<string, TemporaryShare[]>();
  /** By user id: the recovery public keys the SDK registers before uploading a recovery share. */
  recoveryPublicKeys = new Map<string, { id: string; publicKey: string }[]>();
  sessionLengthMs: number;
  /** Added to the wall clock, so tests can move time forward without waiting. */
  clockOffsetMs = 0;
  /** The JWT signing keys, newest first (made at start; a reset keeps them, as Para's keys outlive its users). */
  jwtKeys: JwtKey[] = [];
  /** By user id: how many of the next `/touch` answers for that user's sessions say "not signed in" though they are. */
  falseNegatives = new Map<string, FalseNegative>();
  /** How keep-alive answers (`/test/keep-alive/mode`); `renew` is what para-local does otherwise. */
  keepAliveMode: KeepAliveMode = "renew";
  /** A cap on keep-alive calls (`/test/keep-alive/limit`); none when unset. */
  keepAliveLimit: KeepAliveLimit | undefined;
  /** How many of the next signature requests answer 503, as Para's do now and then (the worker then retries). */
  failNextSignatures = 0;
  /** Wallet ids whose next signature request is held for review: Para answers `{pendingTransactionId}` (policies, transaction review). */
  heldSignatures = new Set<string>();
  /** Requests to answer late, so tests can see what the app does when Para outlasts its time limit. */
  delays: RequestDelay[] = [];
  /** Requests to answer with an error instead of their route (`/test/faults`). */
  faults: RequestFault[] = [];
  /** API requests answered (test controls aside), so tests can count what the app asked of Para. */
  apiRequests = 0;
  /** API requests being answered right now, and the most at once since `peakInFlight` was last set to 0 (tests bound a client's concurrency with it). */
  inFlight = 0;
  peakInFlight = 0;
  /** The latest API requests, oldest first (at most `REQUEST_LOG_SIZE`). */
  requestLog: LoggedRequest[] = [];

  constructor(partners: Partner | readonly [Partner, ...Partner[]], options: StoreOptions = {}) {
    this.partners = Array.isArray(partners) ? partners : [partners as Partner];
    this.partner = this.partners[0]!;
    this.startSessionLengthMs = options.sessionLengthMs ?? DEFAULT_SESSION_LENGTH_MS;
    this.sessionLengthMs = this.startSessionLengthMs;
  }

  /** The partner whose API key this is (the key the SDK sends as `x-external-api-key`). */
  partnerByApiKey(key: string | undefined): Partner | undefined {
    return this.partners.find((partner) => partner.apiKey === key);
  }

  /** The partner whose API key or secret key this is (what `/sessions/verify` accepts). */
  partnerByAnyKey(key: string | undefined): Partner | undefined {
    return this.partners.find((partner) => key !== undefined && (partner.apiKey === key || partner.secretKey === key));
  }

  partnerById(id: string | undefined): Partner | undefined {
    return this.partners.find((partner) => partner.id === id);
  }

  recordRequest(entry: LoggedRequest): void {
    this.apiRequests += 1;
    this.requestLog.push(entry);
    if (this.requestLog.length > REQUEST_LOG_SIZE) this.requestLog.shift();
  }

  /** Takes one use of the first delay that matches the request, and returns how long to wait (0: none). */
  takeDelay(method: string, path: string): number {
    const delay = this.delays.find((candidate) => candidate.remaining > 0 && candidate.method === method && candidate.path.test(path));
    if (!delay) return 0;
    delay.remaining -= 1;
    return delay.ms;
  }

  /** Takes one use of the first fault that matches the request, if any. */
  takeFault(method: string, path: string): RequestFault | undefined {
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.method === method && candidate.path.test(path));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  /** Counts one keep-alive call against the limit, if one is set; false once the window's allowance is used up. */
  admitKeepAlive(): boolean {
    const limit = this.keepAliveLimit;
    if (!limit) return true;
    const now = this.now();
    if (limit.windowStartedAt === undefined || now >= limit.windowStartedAt + limit.windowMs) {
      limit.windowStartedAt = now;
      limit.used = 0;
    }
    limit.used += 1;
    return limit.used <= limit.allow;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  reset(): void {
    this.users.clear();
    this.sessions.clear();
    this.wallets.clear();
    this.passwords.clear();
    this.keyShares = [];
    this.temporaryShares.clear();
    this.recoveryPublicKeys.clear();
    this.falseNegatives.clear();
    this.failNextSignatures = 0;
    this.heldSignatures.clear();
    this.delays = [];
    this.faults = [];
    this.keepAliveMode = "renew";
    this.keepAliveLimit = undefined;
    this.sessionLengthMs = this.startSessionLengthMs;
    this.clockOffsetMs = 0;
  }

  createSession(partnerId: string, userId?: string): Session {
    const now = this.now();
    const session: Session = {
      cookie: `capsule.sid=s%3A${randomBytes(24).toString("base64url")}`,
      partnerId,
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

  /** The live session for a cookie (bare, or with its attributes); expired sessions are dropped and read as missing. */
  findSession(cookie: string | undefined): Session | undefined {
    if (!cookie) return undefined;
    const key = cookieKey(cookie);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session;
  }

  /**
   * The cookie as Para hands it to the SDK in `x-capsule-sid`: with its `Expires`, which the
   * React SDK reads every minute to keep the session alive (and logs out when it is missing).
   * `Expires` is wall-clock time, so the test clock's offset is taken off. `expiresAt` other
   * than the session's is for keep-alive's `stale` mode.
   */
  cookieHeader(session: Session, expiresAt = session.expiresAt): string {
    const expires = new Date(expiresAt - this.clockOffsetMs).toUTCString();
    return `${session.cookie}; Path=/; Expires=${expires}; HttpOnly; Secure; SameSite=None`;
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

  /** A new wallet, the main partner's unless `partnerId` names another. */
  createWallet(fields: Omit<Wallet, "id" | "protocolId" | "createdAt" | "partnerId"> & { partnerId?: string }): Wallet {
    const { partnerId = this.partner.id, ...rest } = fields;
    const wallet: Wallet = { ...rest, partnerId, id: randomUUID(), protocolId: randomUUID(), createdAt: this.now() };
    this.wallets.set(wallet.id, wallet);
    return wallet;
  }

  walletsOf(userId: string): Wallet[] {
    return [...this.wallets.values()].filter((w) => w.userId === userId);
  }

  /**
   * The wallet ids the SDK selects by default: for each of the partner's types, the first
   * finished wallet of that type, else the first whose scheme serves it. The browser SDK creates one
   * DKLS wallet (typed COSMOS when Cosmos is required) that is the user's EVM wallet too.
   */
  currentWalletIdsOf(userId: string): Partial<Record<WalletType, string[]>> {
    const wallets = this.walletsOf(userId).filter((w) => w.publicKey !== undefined);
    const ids: Partial<Record<WalletType, string[]>> = {};
    for (const { type } of this.partner.supportedWalletTypes) {
      const wallet = wallets.find((w) => w.type === type) ?? wallets.find((w) => SCHEME_TYPES[w.scheme].includes(type));
      if (wallet) ids[type] = [wallet.id];
    }
    return ids;
  }
}
