/**
 * The simulated network between Raft nodes: every message gets a random delay (so messages on a
 * link overtake each other), and may be lost, duplicated, or blocked by a partition. Partitions
 * are directed: blocking a→b leaves b→a working (a one-way partition).
 */
import { assert, type Message, type NodeId } from "../src/index.ts";
import { EventQueue } from "./event-queue.ts";
import type { Prng } from "./prng.ts";

export interface NetworkFaults {
  /** Probability that a message is lost. */
  lossRate: number;
  /** Probability that a message is delivered twice. */
  duplicateRate: number;
  delayStepsMin: number;
  delayStepsMax: number;
  /** Probability that a message is held back up to `spikeDelayStepsMax` (reordering). */
  spikeRate: number;
  spikeDelayStepsMax: number;
}

export const CALM_NETWORK: NetworkFaults = {
  lossRate: 0,
  duplicateRate: 0,
  delayStepsMin: 1,
  delayStepsMax: 3,
  spikeRate: 0,
  spikeDelayStepsMax: 0,
};

export type DropReason = "loss" | "partition" | "overflow";

export interface NetworkCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

export class SimNetwork {
  faults: NetworkFaults = { ...CALM_NETWORK };
  readonly counters: NetworkCounters = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  private readonly queue: EventQueue<Message>;
  /** Directed links that drop everything, as "from>to". */
  private readonly blocked = new Set<string>();

  constructor(
    private readonly rng: Prng,
    inflightMax: number,
  ) {
    this.queue = new EventQueue(inflightMax);
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size > 0 && this.blocked.has(`${from}>${to}`);
  }

  block(from: NodeId, to: NodeId): void {
    assert(from !== to, "a node is never partitioned from itself");
    this.blocked.add(`${from}>${to}`);
  }

  /** Splits `side` from `rest` in both directions. */
  partition(side: readonly NodeId[], rest: readonly NodeId[]): void {
    for (const a of side)
      for (const b of rest) {
        this.block(a, b);
        this.block(b, a);
      }
  }

  heal(): void {
    this.blocked.clear();
  }

  describePartitions(): string {
    return [...this.blocked].sort().join(" ") || "none";
  }

  /** Queues `msg` for delivery; returns the drop reason if it will never arrive. */
  send(msg: Message, now: number): DropReason | undefined {
    this.counters.sent++;
    if (this.isBlocked(msg.from, msg.to)) return this.drop("partition");
    if (this.faults.lossRate > 0 && this.rng.chance(this.faults.lossRate)) return this.drop("loss");
    if (!this.queue.schedule(now + this.delay(), msg)) return this.drop("overflow");
    if (this.faults.duplicateRate > 0 && this.rng.chance(this.faults.duplicateRate)) {
      if (this.queue.schedule(now + this.delay(), msg)) this.counters.duplicated++;
    }
    return undefined;
  }

  /**
   * Hands every message due by `now` to `deliver`, or to `dropped` when a partition raised since
   * it was sent blocks it.
   */
  deliverDue(now: number, deliver: (msg: Message) => void, dropped: (msg: Message) => void): void {
    for (let msg = this.queue.popDue(now); msg !== undefined; msg = this.queue.popDue(now)) {
      if (this.isBlocked(msg.from, msg.to)) {
        this.counters.dropped++;
        dropped(msg);
        continue;
      }
      this.counters.delivered++;
      deliver(msg);
    }
  }

  private delay(): number {
    const f = this.faults;
    if (f.spikeRate > 0 && this.rng.chance(f.spikeRate))
      return this.rng.between(f.delayStepsMax, f.spikeDelayStepsMax);
    return this.rng.between(f.delayStepsMin, f.delayStepsMax);
  }

  private drop(reason: DropReason): DropReason {
    this.counters.dropped++;
    return reason;
  }
}
