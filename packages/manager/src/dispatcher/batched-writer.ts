/**
 * Gathers writes keyed by object id and commits them together: thousands of nodes reporting at
 * once become a few store transactions (store.batch splits by the proposal limit). A key holds one
 * pending value (merged with what is already pending); callers wait until their value is committed
 * or found unnecessary. Writes that lost a race (version-conflict) are built again from the new
 * state and retried; any other failure (no longer leader, store refused) rejects their callers.
 */
import { RpcError } from "@shoal/rpc";
import type { Store, StoreError, WriteTx } from "@shoal/store";
import type { Clock } from "../loop/clock.ts";

interface Pending<V> {
  value: V;
  readonly waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

export interface BatchedWriterOptions<V> {
  readonly name: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly gatherMs: number;
  readonly retryMs: number;
  readonly pendingMax: number;
  /** Writes one key's value in `tx` (at most one operation); false when nothing needs writing. */
  readonly write: (tx: WriteTx, key: string, value: V) => boolean;
  readonly actor: string;
  readonly onError?: (error: unknown) => void;
}

export class BatchedWriter<V> {
  private pending = new Map<string, Pending<V>>();
  private wake: (() => void) | undefined;
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  /** Transactions committed so far (tests and metrics). */
  transactions = 0;

  constructor(private readonly options: BatchedWriterOptions<V>) {}

  start(): void {
    this.done = this.run();
  }

  /** Stops; callers still waiting are rejected with UNAVAILABLE. */
  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake?.();
    await this.done;
    this.rejectAll(this.pending, new RpcError("UNAVAILABLE", `${this.options.name}: the dispatcher stopped`));
    this.pending.clear();
  }

  /** Queues `key`'s value (merged with a pending one); resolves once committed. */
  enqueue(key: string, merge: (pending: V | undefined) => V): Promise<void> {
    if (this.stopper.signal.aborted)
      return Promise.reject(new RpcError("UNAVAILABLE", `${this.options.name}: the dispatcher stopped`));
    const existing = this.pending.get(key);
    if (!existing && this.pending.size >= this.options.pendingMax) {
      return Promise.reject(
        new RpcError(
          "UNAVAILABLE",
          `${this.options.name}: ${this.pending.size} writes pending; try again shortly`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      if (existing) {
        existing.value = merge(existing.value);
        existing.waiters.push({ resolve, reject });
      } else {
        this.pending.set(key, { value: merge(undefined), waiters: [{ resolve, reject }] });
      }
      this.wake?.();
    });
  }

  /** Queues without waiting (errors go to onError). */
  post(key: string, merge: (pending: V | undefined) => V): void {
    this.enqueue(key, merge).catch((err: unknown) => {
      if (!this.stopper.signal.aborted) this.options.onError?.(err);
    });
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      if (this.pending.size === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      await this.options.clock.sleep(this.options.gatherMs, signal);
      if (signal.aborted) return;
      const taken = this.pending;
      this.pending = new Map();
      const retry = await this.flush(taken);
      if (retry.size > 0) {
        this.requeue(retry);
        await this.options.clock.sleep(this.options.retryMs, signal);
      }
    }
  }

  /** Writes `taken`; returns the entries to try again. */
  private async flush(taken: Map<string, Pending<V>>): Promise<Map<string, Pending<V>>> {
    const keysByOp: string[] = [];
    const retry = new Map<string, Pending<V>>();
    let result: Awaited<ReturnType<Store["batch"]>>;
    try {
      result = await this.options.store.batch(
        (tx) => {
          for (const [key, entry] of taken) if (this.options.write(tx, key, entry.value)) keysByOp.push(key);
        },
        { actor: this.options.actor },
      );
    } catch (err) {
      this.rejectAll(taken, err);
      return retry;
    }
    this.transactions += result.versions.length;
    const failed = new Set<string>();
    for (const failure of result.failures) {
      for (const key of keysByOp.slice(failure.firstOp, failure.firstOp + failure.opCount)) {
        failed.add(key);
        const entry = taken.get(key) as Pending<V>;
        if (failure.error.code === "version-conflict") retry.set(key, entry);
        else this.rejectAll(new Map([[key, entry]]), unavailable(this.options.name, failure.error));
      }
    }
    for (const [key, entry] of taken) if (!failed.has(key)) for (const w of entry.waiters) w.resolve();
    return retry;
  }

  /** Puts entries back unless a newer value for the key arrived meanwhile (that one wins). */
  private requeue(entries: Map<string, Pending<V>>): void {
    for (const [key, entry] of entries) {
      const newer = this.pending.get(key);
      if (newer) newer.waiters.push(...entry.waiters);
      else this.pending.set(key, entry);
    }
  }

  private rejectAll(entries: Map<string, Pending<V>>, err: unknown): void {
    for (const entry of entries.values()) for (const w of entry.waiters) w.reject(err);
  }
}

function unavailable(name: string, error: StoreError): RpcError {
  const why =
    error.code === "proposal-failed"
      ? "this manager could not commit (leadership may have moved)"
      : error.message;
  return new RpcError("UNAVAILABLE", `${name}: ${why}; try again`, { cause: error });
}
