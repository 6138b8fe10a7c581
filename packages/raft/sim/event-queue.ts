/**
 * The simulator's agenda: events ordered by (time, insertion order), so two runs of one seed
 * process them in exactly the same order. A binary min-heap.
 */
import { assert } from "../src/index.ts";

export interface Scheduled<E> {
  readonly time: number;
  readonly seq: number;
  readonly event: E;
}

export class EventQueue<E> {
  private readonly heap: Scheduled<E>[] = [];
  private seq = 0;

  constructor(private readonly sizeMax: number) {}

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `event` at `time`; returns false (and drops it) when the queue is full. */
  schedule(time: number, event: E): boolean {
    if (this.heap.length >= this.sizeMax) return false;
    const item = { time, seq: this.seq++, event };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
    return true;
  }

  /** Removes and returns the earliest event due at or before `now`. */
  popDue(now: number): E | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined || top.time > now) return undefined;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    assert(top.time <= now, "events come out in time order");
    return top.event;
  }
}

function less<E>(a: Scheduled<E>, b: Scheduled<E>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
