import { describe, expect, it } from "vitest";
import { type Rng, renewalTime } from "./renewal.ts";

const notBefore = new Date("2030-01-01T00:00:00Z");
const notAfter = new Date(notBefore.getTime() + 90 * 24 * 3600_000);
const lifetimeMs = notAfter.getTime() - notBefore.getTime();

/** A small seeded generator (mulberry32) so the sweep below replays exactly. */
function seeded(seed: number): Rng {
  let state = seed >>> 0;
  return {
    intn(n) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
    },
  };
}

describe("renewalTime", () => {
  it("is exactly 50% of the lifetime when the rng returns its minimum", () => {
    const at = renewalTime(notBefore, notAfter, { intn: () => 0 });
    expect(at.getTime() - notBefore.getTime()).toBe(lifetimeMs * 0.5);
  });

  it("is exactly 80% of the lifetime when the rng returns its maximum", () => {
    const at = renewalTime(notBefore, notAfter, { intn: (n) => n - 1 });
    expect(at.getTime() - notBefore.getTime()).toBe(lifetimeMs * 0.8);
  });

  it("stays within [50%, 80%] and spreads over the window for many draws", () => {
    const seed = 20240601;
    const rng = seeded(seed);
    const fractions = Array.from({ length: 2000 }, () => {
      const at = renewalTime(notBefore, notAfter, rng);
      return (at.getTime() - notBefore.getTime()) / lifetimeMs;
    });
    expect(Math.min(...fractions), `seed ${seed}`).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...fractions), `seed ${seed}`).toBeLessThanOrEqual(0.8);
    expect(Math.min(...fractions)).toBeLessThan(0.52);
    expect(Math.max(...fractions)).toBeGreaterThan(0.78);
  });

  it("asks the rng for a draw over the whole window in milliseconds", () => {
    const asked: number[] = [];
    renewalTime(notBefore, notAfter, {
      intn: (n) => {
        asked.push(n);
        return 0;
      },
    });
    expect(asked).toEqual([lifetimeMs * 0.3 + 1]);
  });

  it("refuses a certificate whose notAfter is not after its notBefore", () => {
    expect(() => renewalTime(notAfter, notBefore, { intn: () => 0 })).toThrow(/assertion failed/);
  });
});
