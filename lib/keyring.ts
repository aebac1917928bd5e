/**
 * A rotation-ready set of secrets: `"2=new,1=old"` (the highest id is current, the others
 * still open what they sealed) or a single bare value (id 1). Used for the cookie secret
 * and the data-encryption key, so both rotate the same way.
 */
export interface KeyRing<T> {
  currentId: number;
  keys: ReadonlyMap<number, T>;
}

export function parseKeyRing<T>(raw: string, decode: (value: string, id: number) => T): KeyRing<T> {
  const entries = /^\d+=/.test(raw.trim()) ? raw.split(",") : [`1=${raw}`];
  const keys = new Map<number, T>();
  for (const entry of entries) {
    const separator = entry.indexOf("=");
    const id = Number(entry.slice(0, separator).trim());
    if (!Number.isSafeInteger(id) || id < 1) throw new Error(`"${entry.slice(0, separator)}" is not a key id (use whole numbers from 1)`);
    if (keys.has(id)) throw new Error(`key id ${id} appears twice`);
    keys.set(id, decode(entry.slice(separator + 1).trim(), id));
  }
  return { currentId: Math.max(...keys.keys()), keys };
}
