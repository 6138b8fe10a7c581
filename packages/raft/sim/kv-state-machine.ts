/**
 * The replicated key-value state machine the simulated clients use. Writes (put, cas) arrive as
 * log entries tagged with the client's id and sequence number; a session table remembers each
 * client's last result, so a retried command is applied once and answered with the same result.
 * `digest` summarises the whole state in O(1) per write, so the simulator can compare nodes
 * cheaply at every applied index.
 */
import { assert, Reader, Writer } from "../src/index.ts";
import type { KvInput, KvOutput } from "./kv-history.ts";

export interface KvCommand {
  readonly client: number;
  readonly seq: number;
  readonly input: Exclude<KvInput, { kind: "get" }>;
}

const text = new TextEncoder();
const untext = new TextDecoder();

export function encodeCommand(c: KvCommand): Uint8Array {
  const w = new Writer(48)
    .uint(c.client)
    .uint(c.seq)
    .bytes(text.encode(c.input.key))
    .bytes(text.encode(c.input.value));
  if (c.input.kind === "put") w.uint(0);
  else if (c.input.expected === null) w.uint(1);
  else w.uint(2).bytes(text.encode(c.input.expected));
  return w.finish();
}

export function decodeCommand(bytes: Uint8Array): KvCommand {
  const r = new Reader(bytes);
  const client = r.uint();
  const seq = r.uint();
  const key = untext.decode(r.bytes());
  const value = untext.decode(r.bytes());
  const tag = r.enumValue<number>(2, "kv command kind");
  const input: KvCommand["input"] =
    tag === 0
      ? { kind: "put", key, value }
      : { kind: "cas", key, value, expected: tag === 1 ? null : untext.decode(r.bytes()) };
  r.end();
  return { client, seq, input };
}

interface Session {
  seq: number;
  output: KvOutput;
}

export class KvStateMachine {
  private readonly data = new Map<string, string>();
  private readonly sessions = new Map<number, Session>();
  // Invariant: digest === sum of hashOf(entry) over data and sessions, mod 2^32.
  digest = 0;

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /**
   * Applies a command once per (client, seq). Returns the result, the remembered one for a
   * retry, or undefined for a command older than the client's last (its client moved on).
   */
  apply(cmd: KvCommand): KvOutput | undefined {
    const session = this.sessions.get(cmd.client);
    if (session !== undefined && cmd.seq < session.seq) return undefined;
    if (session !== undefined && cmd.seq === session.seq) return session.output;
    const { input } = cmd;
    const current = this.get(input.key);
    let output: KvOutput;
    if (input.kind === "put") {
      this.set(input.key, input.value);
      output = { kind: "put" };
    } else if (current === input.expected) {
      this.set(input.key, input.value);
      output = { kind: "cas", ok: true };
    } else {
      output = { kind: "cas", ok: false };
    }
    this.setSession(cmd.client, { seq: cmd.seq, output });
    return output;
  }

  snapshot(): Uint8Array {
    const w = new Writer(256);
    const keys = [...this.data.keys()].sort();
    w.uint(keys.length);
    for (const k of keys) w.bytes(text.encode(k)).bytes(text.encode(this.data.get(k)!));
    const clients = [...this.sessions.keys()].sort((a, b) => a - b);
    w.uint(clients.length);
    for (const c of clients) {
      const s = this.sessions.get(c)!;
      w.uint(c).uint(s.seq).uint(outputCode(s.output));
    }
    return w.finish();
  }

  static restore(bytes: Uint8Array): KvStateMachine {
    const kv = new KvStateMachine();
    if (bytes.length === 0) return kv;
    const r = new Reader(bytes);
    for (let n = r.count("keys"); n > 0; n--) kv.set(untext.decode(r.bytes()), untext.decode(r.bytes()));
    for (let n = r.count("sessions"); n > 0; n--) {
      const client = r.uint();
      const seq = r.uint();
      kv.setSession(client, { seq, output: outputOf(r.enumValue(2, "kv output")) });
    }
    r.end();
    return kv;
  }

  private set(key: string, value: string): void {
    const old = this.data.get(key);
    if (old !== undefined) this.digest = (this.digest - hash(`d${key}=${old}`)) >>> 0;
    this.data.set(key, value);
    this.digest = (this.digest + hash(`d${key}=${value}`)) >>> 0;
  }

  private setSession(client: number, s: Session): void {
    const old = this.sessions.get(client);
    if (old !== undefined)
      this.digest = (this.digest - hash(`s${client}:${old.seq}:${outputCode(old.output)}`)) >>> 0;
    this.sessions.set(client, s);
    this.digest = (this.digest + hash(`s${client}:${s.seq}:${outputCode(s.output)}`)) >>> 0;
  }
}

function outputCode(o: KvOutput): number {
  assert(o.kind !== "get", "reads are never remembered in a session");
  return o.kind === "put" ? 0 : o.ok ? 1 : 2;
}

function outputOf(code: number): KvOutput {
  return code === 0 ? { kind: "put" } : { kind: "cas", ok: code === 1 };
}

/** FNV-1a, 32-bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
