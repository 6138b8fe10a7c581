/**
 * A simulated client: one operation at a time (put, get, compare-and-set on a few shared keys),
 * each retried with the same sequence number until answered or until it gives up. A give-up
 * leaves the operation's outcome unknown in the history — it may still take effect later.
 */
import { NO_NODE, type NodeId } from "../src/index.ts";
import type { ClientReply, ClientRequest } from "./client-protocol.ts";
import type { HistoryOp, KvInput, KvOutput } from "./kv-history.ts";
import type { Prng } from "./prng.ts";

export interface ClientEnv {
  readonly rng: Prng;
  /** The history clock: strictly increasing, shared by all clients. */
  tick(): number;
  send(to: NodeId, req: ClientRequest): void;
  /** Nodes a client may contact. */
  servers(): readonly NodeId[];
  log(text: string): void;
}

export interface ClientSettings {
  readonly keys: readonly string[];
  /** Steps to wait for an answer before trying another node. */
  readonly timeoutSteps: number;
  /** Attempts per operation before its outcome is left unknown. */
  readonly attemptsMax: number;
  readonly thinkStepsMax: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class SimClient {
  private op: Mutable<HistoryOp> | undefined;
  private seq = 0;
  private attempt = 0;
  private deadline = 0;
  private nextOpAt = 0;
  private leaderGuess: NodeId = NO_NODE;
  private redirected = false;
  private readonly lastSeen = new Map<string, string | null>();

  constructor(
    readonly id: number,
    private readonly env: ClientEnv,
    private readonly settings: ClientSettings,
    private readonly history: HistoryOp[],
  ) {}

  get busy(): boolean {
    return this.op !== undefined;
  }

  /** Called every step: starts a new operation when idle, retries when the current one timed out. */
  onStep(now: number, mayStart: boolean): void {
    if (this.op === undefined) {
      if (mayStart && now >= this.nextOpAt) this.start(now);
      return;
    }
    if (now < this.deadline) return;
    if (!this.redirected) this.leaderGuess = NO_NODE; // timed out: that node may be gone
    this.redirected = false;
    this.retry(now);
  }

  onReply(now: number, r: ClientReply): void {
    const op = this.op;
    if (op === undefined || r.seq !== this.seq) return; // a late answer to an op already settled
    if (r.kind === "redirect") {
      this.leaderGuess = r.leaderHint;
      this.redirected = true;
      this.deadline = now + this.env.rng.between(2, 10); // back off, then retry
      return;
    }
    op.ret = this.env.tick();
    op.output = r.output;
    this.remember(op.input, r.output);
    this.env.log(`c${this.id} ${describeOutcome(op)}`);
    this.op = undefined;
    this.nextOpAt = now + this.env.rng.between(0, this.settings.thinkStepsMax);
  }

  private start(now: number): void {
    this.seq++;
    this.attempt = 0;
    const input = this.nextInput();
    const op: Mutable<HistoryOp> = { id: this.history.length, client: this.id, input, call: this.env.tick() };
    this.history.push(op);
    this.op = op;
    this.send(now);
  }

  private retry(now: number): void {
    if (this.attempt >= this.settings.attemptsMax) {
      this.env.log(`c${this.id} gives up on #${this.op!.id} (outcome unknown)`);
      this.op = undefined;
      this.nextOpAt = now;
      return;
    }
    this.send(now);
  }

  private send(now: number): void {
    const servers = this.env.servers();
    const to = this.leaderGuess !== NO_NODE ? this.leaderGuess : this.env.rng.pick(servers);
    this.attempt++;
    this.deadline = now + this.settings.timeoutSteps;
    this.env.log(`c${this.id} → n${to} #${this.op!.id} try ${this.attempt} ${describeInput(this.op!.input)}`);
    this.env.send(to, { client: this.id, seq: this.seq, attempt: this.attempt, input: this.op!.input });
  }

  private nextInput(): KvInput {
    const rng = this.env.rng;
    const key = rng.pick(this.settings.keys);
    const value = `c${this.id}.${this.seq}`;
    const roll = rng.intn(10);
    if (roll < 4) return { kind: "get", key };
    if (roll < 7) return { kind: "put", key, value };
    const expected = rng.chance(0.8) ? (this.lastSeen.get(key) ?? null) : null;
    return { kind: "cas", key, expected, value };
  }

  private remember(input: KvInput, output: KvOutput): void {
    if (output.kind === "get") this.lastSeen.set(input.key, output.value);
    else if (input.kind === "put" || (input.kind === "cas" && output.kind === "cas" && output.ok))
      this.lastSeen.set(input.key, input.value);
  }
}

function describeInput(i: KvInput): string {
  return i.kind === "get"
    ? `get ${i.key}`
    : i.kind === "put"
      ? `put ${i.key}=${i.value}`
      : `cas ${i.key} ${i.expected}→${i.value}`;
}

function describeOutcome(op: HistoryOp): string {
  const o = op.output;
  const what = describeInput(op.input);
  const got =
    o === undefined
      ? "?"
      : o.kind === "get"
        ? String(o.value)
        : o.kind === "cas"
          ? o.ok
            ? "ok"
            : "failed"
          : "ok";
  return `#${op.id} ${what} → ${got}`;
}
