/** The few parts of the DNS wire format (RFC 1035) the node's resolver needs. */

export const TYPE_A = 1;
export const CLASS_IN = 1;
export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

const HEADER_BYTES = 12;
/** Named limit: labels in one name (a 255-byte name has at most 127). */
const NAME_LABELS_MAX = 127;

export interface DnsQuery {
  id: number;
  /** Opcode and RD bits as the client sent them. */
  flags: number;
  /** Lower case, without the final dot. */
  name: string;
  type: number;
  qclass: number;
  /** The question section's bytes, echoed in the answer. */
  question: Buffer;
}

/** Reads a standard query with one question; undefined for anything else (answer FORMERR). */
export function parseQuery(msg: Buffer): DnsQuery | undefined {
  if (msg.length < HEADER_BYTES) return undefined;
  const flags = msg.readUInt16BE(2);
  const isResponse = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 0xf;
  if (isResponse || opcode !== 0 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = HEADER_BYTES;
  for (;;) {
    if (at >= msg.length || labels.length > NAME_LABELS_MAX) return undefined;
    const len = msg[at]!;
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return undefined; // no compression in a question
    labels.push(msg.toString("latin1", at + 1, at + 1 + len));
    at += 1 + len;
  }
  at += 1;
  if (at + 4 > msg.length) return undefined;
  return {
    id: msg.readUInt16BE(0),
    flags,
    name: labels.join(".").toLowerCase(),
    type: msg.readUInt16BE(at),
    qclass: msg.readUInt16BE(at + 2),
    question: msg.subarray(HEADER_BYTES, at + 4),
  };
}

/** An authoritative answer with one A record per address (none: NODATA, or the rcode given). */
export function buildAnswer(
  query: DnsQuery,
  addresses: readonly string[],
  ttlS: number,
  rcode = RCODE_NOERROR,
): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.id, 0);
  // QR, the query's opcode and RD, AA, RA, rcode.
  header.writeUInt16BE(0x8000 | (query.flags & 0x7900) | 0x0400 | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const records = addresses.map((address) => {
    const r = Buffer.alloc(16);
    r.writeUInt16BE(0xc000 | HEADER_BYTES, 0); // pointer to the question's name
    r.writeUInt16BE(TYPE_A, 2);
    r.writeUInt16BE(CLASS_IN, 4);
    r.writeUInt32BE(ttlS, 6);
    r.writeUInt16BE(4, 10);
    const octets = address.split(".");
    for (let i = 0; i < 4; i++) r.writeUInt8(Number(octets[i]), 12 + i);
    return r;
  });
  return Buffer.concat([header, query.question, ...records]);
}

/** An error answer to a message that could not be parsed (FORMERR), keeping its id. */
export function buildError(msg: Buffer, rcode: number): Buffer | undefined {
  if (msg.length < 2) return undefined;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | 0x0080 | (rcode & 0xf), 2);
  return header;
}

/** A query for `name` (tests, probes). */
export function buildQuery(id: number, name: string, type = TYPE_A): Buffer {
  const parts = name.split(".").filter(Boolean);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // RD
  header.writeUInt16BE(1, 4);
  const labels = parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, "latin1")]));
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(CLASS_IN, 3);
  return Buffer.concat([header, ...labels, tail]);
}

/** The A records and rcode of an answer (tests, probes). */
export function readAnswer(msg: Buffer): { id: number; rcode: number; addresses: string[] } {
  const id = msg.readUInt16BE(0);
  const rcode = msg.readUInt16BE(2) & 0xf;
  const answers = msg.readUInt16BE(6);
  let at = HEADER_BYTES;
  while (msg[at] !== 0) at += 1 + msg[at]!;
  at += 5;
  const addresses: string[] = [];
  for (let i = 0; i < answers; i++) {
    at = (msg[at]! & 0xc0) === 0xc0 ? at + 2 : skipName(msg, at);
    const type = msg.readUInt16BE(at);
    const length = msg.readUInt16BE(at + 8);
    if (type === TYPE_A && length === 4) addresses.push([...msg.subarray(at + 10, at + 14)].join("."));
    at += 10 + length;
  }
  return { id, rcode, addresses };
}

function skipName(msg: Buffer, at: number): number {
  while (msg[at] !== 0) {
    if ((msg[at]! & 0xc0) === 0xc0) return at + 2;
    at += 1 + msg[at]!;
  }
  return at + 1;
}
