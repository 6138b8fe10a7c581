/**
 * Linearizable reads. Reads arriving in the same event-loop turn share one ReadIndex request; once
 * Raft answers with a read index, the batch resolves as soon as the state machine has applied it.
 */
import type { ReadState } from "../types.ts";
import { Waiters } from "./waiters.ts";

export interface ReadIndexQueueLimits {
  /** Max ReadIndex requests (batches of reads) waiting for an answer or for the apply. */
  readonly readBatchesPendingMax: number;
  readonly requestTimeoutMs: number;
}

export class ReadIndexQueue {
  private readonly waiters: Waiters<string, number>;
  private open: { ctx: Uint8Array; promise: Promise<number> } | undefined;
  /** Answered reads waiting for the apply, in arrival order. */
  private answered: { key: string; index: number }[] = [];
  private nextSeq = 1;

  constructor(
    private readonly incarnation: number,
    limits: ReadIndexQueueLimits,
    private readonly issue: (ctx: Uint8Array) => void,
    private readonly nowMs: () => number,
  ) {
    this.waiters = new Waiters("read", limits.readBatchesPendingMax, limits.requestTimeoutMs);
  }

  /** Resolves with the read index once it has been applied. */
  read(): Promise<number> {
    if (this.open) return this.open.promise;
    const ctx = new TextEncoder().encode(`r${this.incarnation}.${this.nextSeq++}`);
    const promise = this.waiters.add(keyOf(ctx), this.nowMs());
    this.open = { ctx, promise };
    setImmediate(() => {
      this.open = undefined;
      if (this.waiters.has(keyOf(ctx))) this.issue(ctx);
    });
    return promise;
  }

  handleReadStates(states: readonly ReadState[], applied: number): void {
    for (const s of states) {
      const key = keyOf(s.requestCtx);
      if (!this.waiters.has(key)) continue;
      this.answered.push({ key, index: s.index });
    }
    this.handleApplied(applied);
  }

  handleApplied(applied: number): void {
    if (this.answered.length === 0) return;
    const still: { key: string; index: number }[] = [];
    for (const a of this.answered) {
      if (a.index <= applied) this.waiters.resolve(a.key, a.index);
      else still.push(a);
    }
    this.answered = still;
  }

  expire(nowMs: number): void {
    this.waiters.expire(nowMs);
  }

  rejectAll(err: Error): void {
    this.answered = [];
    this.waiters.rejectAll(err);
  }
}

function keyOf(ctx: Uint8Array): string {
  return Buffer.from(ctx.buffer, ctx.byteOffset, ctx.byteLength).toString("latin1");
}
