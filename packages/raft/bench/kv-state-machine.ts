/** The benchmark's replicated state machine: a string → bytes map fed by put commands. */
import type { StateMachine } from "../src/index.ts";
import { decodePut } from "./client-protocol.ts";

export class KvStateMachine implements StateMachine<void> {
  readonly data = new Map<string, Uint8Array>();

  apply(command: Uint8Array): void {
    const { key, value } = decodePut(command);
    // Copy (into Node's pooled slabs): the command is a view into a network or WAL buffer.
    this.data.set(key, Buffer.from(value));
  }

  /**
   * Layout per key: u32 key bytes, u32 value bytes, key, value. Values are never mutated (a put
   * replaces the Buffer), so a copy of the map's entries is a consistent view; it is encoded in
   * slices across event-loop turns so the member keeps serving meanwhile.
   */
  snapshot(): Promise<Uint8Array> {
    const keys = new Array<string>(this.data.size);
    const values = new Array<Uint8Array>(this.data.size);
    let i = 0;
    for (const [key, value] of this.data) {
      keys[i] = key;
      values[i++] = value;
    }
    return encodeInSlices(keys, values);
  }

  restore(data: Uint8Array): void {
    this.data.clear();
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    while (pos < b.length) {
      const kn = b.readUInt32BE(pos);
      const vn = b.readUInt32BE(pos + 4);
      const key = b.toString("utf8", pos + 8, pos + 8 + kn);
      this.data.set(key, Buffer.from(b.subarray(pos + 8 + kn, pos + 8 + kn + vn)));
      pos += 8 + kn + vn;
    }
  }
}

/** Keys encoded per event-loop turn while taking a snapshot. */
const SNAPSHOT_SLICE_KEYS = 4096;

async function encodeInSlices(keys: readonly string[], values: readonly Uint8Array[]): Promise<Uint8Array> {
  const nextTurn = () => new Promise((r) => setImmediate(r));
  await nextTurn();
  let bytes = 0;
  for (let i = 0; i < keys.length; i++)
    bytes += 8 + Buffer.byteLength(keys[i] as string) + (values[i] as Uint8Array).length;
  const out = Buffer.allocUnsafe(bytes);
  let pos = 0;
  for (let i = 0; i < keys.length; i++) {
    if (i % SNAPSHOT_SLICE_KEYS === 0) await nextTurn();
    const value = values[i] as Uint8Array;
    const keyBytes = out.write(keys[i] as string, pos + 8);
    out.writeUInt32BE(keyBytes, pos);
    out.writeUInt32BE(value.length, pos + 4);
    out.set(value, pos + 8 + keyBytes);
    pos += 8 + keyBytes + value.length;
  }
  return out;
}
