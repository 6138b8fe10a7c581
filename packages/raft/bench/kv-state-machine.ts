/** The benchmark's replicated state machine: a string → bytes map fed by put commands. */
import type { StateMachine } from "../src/index.ts";
import { decodePut } from "./client-protocol.ts";

export class KvStateMachine implements StateMachine<void> {
  readonly data = new Map<string, Uint8Array>();

  apply(command: Uint8Array): void {
    const { key, value } = decodePut(command);
    // Copy: the command is a view into a network or WAL buffer.
    this.data.set(key, Uint8Array.from(value));
  }

  snapshot(): Uint8Array {
    const parts: Buffer[] = [];
    for (const [key, value] of this.data) {
      const k = Buffer.from(key);
      const head = Buffer.allocUnsafe(8);
      head.writeUInt32BE(k.length, 0);
      head.writeUInt32BE(value.length, 4);
      parts.push(head, k, Buffer.from(value));
    }
    return Buffer.concat(parts);
  }

  restore(data: Uint8Array): void {
    this.data.clear();
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    while (pos < b.length) {
      const kn = b.readUInt32BE(pos);
      const vn = b.readUInt32BE(pos + 4);
      const key = b.toString("utf8", pos + 8, pos + 8 + kn);
      this.data.set(key, Uint8Array.from(b.subarray(pos + 8 + kn, pos + 8 + kn + vn)));
      pos += 8 + kn + vn;
    }
  }
}
