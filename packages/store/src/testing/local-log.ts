import type { Proposer } from "../proposer.ts";
import type { ApplyResult, Store } from "../store.ts";

/**
 * A stand-in for Raft in tests: proposals are appended to an in-memory log and applied, in log
 * order, to every attached store (the first attached is the proposing one, whose result the
 * proposal resolves with). With `hold`, proposals wait until commit() so tests can interleave.
 */
export class LocalLog implements Proposer {
  readonly entries: Uint8Array[] = [];
  private readonly stores: Store[] = [];
  private readonly waiting: { index: number; resolve: (result: ApplyResult | undefined) => void }[] = [];
  private applied = 0;

  constructor(private readonly options: { hold?: boolean } = {}) {}

  /** Continues the log after `index`, as a member restored from a snapshot at that index does. */
  startAfter(index: number): void {
    while (this.entries.length < index) this.entries.push(new Uint8Array());
    this.applied = Math.max(this.applied, index);
  }

  attach(store: Store): Store {
    this.stores.push(store);
    return store;
  }

  propose(data: Uint8Array): Promise<ApplyResult | undefined> {
    this.entries.push(data);
    const index = this.entries.length;
    const promise = new Promise<ApplyResult | undefined>((resolve) => {
      this.waiting.push({ index, resolve });
    });
    if (!this.options.hold) queueMicrotask(() => this.commit());
    return promise;
  }

  /** Applies every entry not yet applied, in order, and resolves their proposals. */
  commit(): void {
    while (this.applied < this.entries.length) {
      const index = ++this.applied;
      const data = this.entries[index - 1] as Uint8Array;
      let result: ApplyResult | undefined;
      for (const store of this.stores) {
        const r = store.applyCommitted(index, data);
        result ??= r;
      }
      const waiter = this.waiting.findIndex((w) => w.index === index);
      if (waiter >= 0) this.waiting.splice(waiter, 1)[0]?.resolve(result);
    }
  }
}
