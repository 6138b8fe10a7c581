/** How entries are measured for the byte limits in Config: by the size of their data. */
import type { Entry } from "../types.ts";

export function entryBytes(e: Entry): number {
  return e.data.length;
}

export function entriesBytes(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += e.data.length;
  return n;
}

/** The longest prefix of `ents` within `maxBytes`, but always at least one entry. */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = entryBytes(ents[0]!);
  let n = 1;
  for (; n < ents.length; n++) {
    size += entryBytes(ents[n]!);
    if (size > maxBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}

/** A byte string as a map key (for read contexts). */
export function bytesKey(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
