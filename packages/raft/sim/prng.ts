/**
 * The simulator's only source of randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator), seeded from one integer. Same seed → same sequence on every platform, because it
 * uses only 32-bit integer arithmetic.
 */
import { assert, type Rng } from "../src/index.ts";

export class Prng implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed) && seed >= 0, "a seed is a non-negative safe integer");
    this.a = 0x9e3779b9;
    this.b = seed >>> 0;
    this.c = Math.floor(seed / 0x1_0000_0000) >>> 0;
    this.d = 1;
    // Warm up so nearby seeds diverge.
    for (let i = 0; i < 16; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  intn(n: number): number {
    assert(Number.isInteger(n) && n > 0 && n <= 0x1_0000_0000, "intn bound is in [1, 2^32]");
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.intn(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p * 0x1_0000_0000;
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, "pick from a non-empty list");
    return items[this.intn(items.length)] as T;
  }

  /** A child generator, so one subsystem's draws do not shift another's. */
  fork(): Prng {
    return new Prng(this.next() * 0x20_0000 + (this.next() >>> 11));
  }
}
