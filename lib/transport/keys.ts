import "server-only";
import { getConfig } from "../config";
import type { KeyRing } from "../keyring";
import { deriveTransportKey, type TransportKey } from "./derive-key";
import type { TransportKeySet } from "./encrypt-session";

let derived: { ring: KeyRing<Buffer>; keys: Promise<TransportKey[]> } | undefined;

/**
 * The transport keys: one P-256 pair per data key (DATA_ENCRYPTION_KEY), derived with HKDF-SHA256,
 * so there is no new secret to set and they rotate with it. The current one first: the key the
 * data key ring seals with (DATA_ENCRYPTION_KEY_ID), which browsers encrypt to.
 */
export function transportKeys(): Promise<TransportKey[]> {
  const ring = getConfig().dataKeys;
  if (derived?.ring !== ring) {
    const ids = [ring.currentId, ...[...ring.keys.keys()].filter((id) => id !== ring.currentId).sort((a, b) => b - a)];
    const keys = Promise.all(ids.map((id) => deriveTransportKey(ring.keys.get(id)!)));
    derived = { ring, keys };
    // A failure is not kept: the next request derives them again.
    keys.catch(() => {
      if (derived?.keys === keys) derived = undefined;
    });
  }
  return derived.keys;
}

/** The public half, as `GET /api/session/transport-key` answers it. */
export async function publicTransportKeys(): Promise<TransportKeySet> {
  return { keys: (await transportKeys()).map(({ publicJwk }) => publicJwk) };
}
