/**
 * The benchmark's client protocol over TCP, framed like the Raft transport (4-byte length, then
 * the body). Request body: u8 op, u32 request id, then op-specific bytes. Response body: u32
 * request id, u8 status, then status-specific bytes. Requests on one connection may be pipelined;
 * responses carry the request id.
 */
export enum Op {
  Put = 1, // u16 key length, key, value
  Get = 2, // key (linearizable)
  Status = 3,
}

export enum Status {
  Ok = 0, // Put: nothing; Get: u8 found, value; Status: JSON {id, leader, applied}
  NotLeader = 1, // u32 leader id (0 when unknown)
  Failed = 2, // UTF-8 message
}

export interface Request {
  readonly op: Op;
  readonly id: number;
  readonly body: Buffer;
}

export interface Response {
  readonly id: number;
  readonly status: Status;
  readonly body: Buffer;
}

/** Max body of one client frame. */
export const CLIENT_FRAME_BYTES_MAX = 1024 * 1024;

export function encodePut(key: string, value: Uint8Array): Buffer {
  const k = Buffer.from(key);
  const out = Buffer.allocUnsafe(2 + k.length + value.length);
  out.writeUInt16BE(k.length, 0);
  k.copy(out, 2);
  out.set(value, 2 + k.length);
  return out;
}

export function decodePut(body: Uint8Array): { key: string; value: Uint8Array } {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (b.length < 2) throw new Error("put: truncated");
  const n = b.readUInt16BE(0);
  if (b.length < 2 + n) throw new Error("put: key overruns the body");
  return { key: b.toString("utf8", 2, 2 + n), value: b.subarray(2 + n) };
}

export function encodeRequest(r: Request): Buffer {
  const out = Buffer.allocUnsafe(4 + 5 + r.body.length);
  out.writeUInt32BE(5 + r.body.length, 0);
  out.writeUInt8(r.op, 4);
  out.writeUInt32BE(r.id, 5);
  r.body.copy(out, 9);
  return out;
}

export function decodeRequest(frame: Buffer): Request {
  if (frame.length < 5) throw new Error("request: truncated");
  const op = frame.readUInt8(0);
  if (op < Op.Put || op > Op.Status) throw new Error(`request: bad op ${op}`);
  return { op, id: frame.readUInt32BE(1), body: frame.subarray(5) };
}

export function encodeResponse(r: Response): Buffer {
  const out = Buffer.allocUnsafe(4 + 5 + r.body.length);
  out.writeUInt32BE(5 + r.body.length, 0);
  out.writeUInt32BE(r.id, 4);
  out.writeUInt8(r.status, 8);
  r.body.copy(out, 9);
  return out;
}

export function decodeResponse(frame: Buffer): Response {
  if (frame.length < 5) throw new Error("response: truncated");
  return { id: frame.readUInt32BE(0), status: frame.readUInt8(4), body: frame.subarray(5) };
}
