// How long a session lasts, set at start as Para's developer portal sets it per API key.

const UNIT_MS = { s: 1000, m: 60 * 1000, h: 60 * 60 * 1000, d: 24 * 60 * 60 * 1000 } as const;

/**
 * The default: 30 minutes. Para's docs disagree (2 hours in the sessions guide, 30 minutes in
 * the JWT guide, whose example token has `exp − iat = 1800`); the shorter one shows sooner what
 * an app does when a session ends.
 */
export const DEFAULT_SESSION_LENGTH_MS = 30 * UNIT_MS.m;
/** The portal's range: from 1 minute up to 30 days. */
export const MIN_SESSION_LENGTH_MS = UNIT_MS.m;
export const MAX_SESSION_LENGTH_MS = 30 * UNIT_MS.d;

/** `90s`, `30m`, `6h`, `30d` → milliseconds; throws with a message for the person who typed it. */
export function parseSessionLength(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (!match) throw new Error(`session length "${value}" is not a whole number with a unit s, m, h or d (e.g. 90s, 30m, 6h, 30d)`);
  return checkSessionLength(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS], value);
}

/** The length itself, or a throw when it is outside the portal's range (1 minute to 30 days). */
export function checkSessionLength(ms: number, shown: string = `${ms} ms`): number {
  if (!Number.isInteger(ms) || ms < MIN_SESSION_LENGTH_MS || ms > MAX_SESSION_LENGTH_MS) {
    throw new Error(`session length ${shown} is outside Para's range: 1 minute (1m) to 30 days (30d)`);
  }
  return ms;
}

/** The length in the syntax `parseSessionLength` reads, in the largest unit that divides it (`30m`, `90s`). */
export function formatSessionLength(ms: number): string {
  const unit = (["d", "h", "m", "s"] as const).find((name) => ms % UNIT_MS[name] === 0);
  return unit ? `${ms / UNIT_MS[unit]}${unit}` : `${ms}ms`;
}
