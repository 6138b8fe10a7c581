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

  /** Layout per key: u32 key bytes, u32 value bytes, key, value; one allocation in all. */
  snapshot(): Uint8Array {
    let bytes = 0;
    for (const [key, value] of this.data) bytes += 8 + Buffer.byteLength(key) + value.length;
    const out = Buffer.allocUnsafe(bytes);
    let pos = 0;
    for (const [key, value] of this.data) {
      const kn = out.write(key, pos + 8);
      out.writeUInt32BE(kn, pos);
      out.writeUInt32BE(value.length, pos + 4);
      out.set(value, pos + 8 + kn);
      pos += 8 + kn + value.length;
    }
    return out;
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
