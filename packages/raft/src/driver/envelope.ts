/**
 * The driver wraps each proposed command in an envelope naming who proposed it, so the proposer
 * can match the committed entry to its waiting promise. Layout: varint proposer, varint
 * incarnation (random per driver start, so ids never repeat across restarts), varint sequence,
 * then the command bytes.
 */
import { RaftError } from "../errors.ts";
import type { NodeId } from "../types.ts";

export interface ProposalId {
  readonly proposer: NodeId;
  readonly incarnation: number;
  readonly seq: number;
}

const VARINT_BYTES_MAX = 8;

export function wrapCommand(id: ProposalId, command: Uint8Array): Uint8Array {
  const out = new Uint8Array(3 * VARINT_BYTES_MAX + command.length);
  let pos = writeVarint(out, 0, id.proposer);
  pos = writeVarint(out, pos, id.incarnation);
  pos = writeVarint(out, pos, id.seq);
  out.set(command, pos);
  return out.subarray(0, pos + command.length);
}

/** Splits an envelope; throws RaftError("decode") for data the driver did not write. */
export function unwrapCommand(data: Uint8Array): { id: ProposalId; command: Uint8Array } {
  const state = { pos: 0 };
  const proposer = readVarint(data, state);
  const incarnation = readVarint(data, state);
  const seq = readVarint(data, state);
  return { id: { proposer, incarnation, seq }, command: data.subarray(state.pos) };
}

function writeVarint(buf: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

function readVarint(buf: Uint8Array, state: { pos: number }): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < VARINT_BYTES_MAX; i++) {
    if (state.pos >= buf.length) break;
    const b = buf[state.pos++] as number;
    result += (b & 0x7f) * mul;
    if (b < 0x80) return result;
    mul *= 0x80;
  }
  throw new RaftError("decode", "entry data is not a driver envelope");
}
