/** A bounded ring of the last indexes of append messages sent to one follower and not yet acknowledged. */
import { assert } from "../errors.ts";

export class Inflights {
  private start = 0;
  // Invariant: 0 <= count <= size; buffer[start..start+count) (mod size) is increasing.
  private count = 0;
  private readonly buffer: number[];

  constructor(readonly size: number) {
    assert(size > 0, "inflights need room for at least one message");
    this.buffer = new Array<number>(size).fill(0);
  }

  add(index: number): void {
    assert(!this.full(), "cannot add into a full inflights");
    const next = (this.start + this.count) % this.size;
    this.buffer[next] = index;
    this.count++;
  }

  /** Frees every message whose last index is <= to. */
  freeLE(to: number): void {
    if (this.count === 0 || to < this.buffer[this.start]!) return;
    let idx = this.start;
    let i = 0;
    for (; i < this.count; i++) {
      if (to < this.buffer[idx]!) break;
      idx = (idx + 1) % this.size;
    }
    this.count -= i;
    this.start = this.count === 0 ? 0 : idx;
  }

  freeFirstOne(): void {
    if (this.count > 0) this.freeLE(this.buffer[this.start]!);
  }

  full(): boolean {
    return this.count === this.size;
  }

  length(): number {
    return this.count;
  }

  reset(): void {
    this.count = 0;
    this.start = 0;
  }
}
