import { describe, expect, it } from "vitest";
import { runSeed } from "./run-seed.ts";
import { DEFAULT_SIM_OPTIONS, type SimOptions } from "./seed-config.ts";

const options: SimOptions = DEFAULT_SIM_OPTIONS;
const broken: SimOptions = { ...DEFAULT_SIM_OPTIONS, unsafeStaleReads: true };

describe("raft simulation", () => {
  it("replays a seed exactly: same seed, same trace", () => {
    for (const seed of [1, 2, 3]) {
      const a = runSeed(seed, options);
      const b = runSeed(seed, options);
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.ops).toBe(a.ops);
      expect(b.steps).toBe(a.steps);
    }
    expect(runSeed(4, options).traceHash).not.toBe(runSeed(5, options).traceHash);
  });

  it("passes a batch of seeds: invariants hold and every history is linearizable", () => {
    for (let seed = 1; seed <= 15; seed++) {
      const r = runSeed(seed, options);
      expect(r.verdict, `${r.config}: ${r.reason}`).toBe("pass");
      expect(r.ops).toBeGreaterThan(20);
    }
  });

  it("catches the broken variant (leaders serve reads from local state, without ReadIndex)", () => {
    const seedsMax = 600;
    let caught: ReturnType<typeof runSeed> | undefined;
    for (let seed = 1; seed <= seedsMax && caught === undefined; seed++) {
      const r = runSeed(seed, broken);
      expect(r.verdict, `${r.config}: ${r.reason}`).not.toBe("error");
      if (r.verdict === "violation") caught = r;
    }
    expect(caught, `no violation in ${seedsMax} seeds with unsafe stale reads`).toBeDefined();
    const found = caught!;
    expect(found.reason).toMatch(/not linearizable/);
    expect(found.minimalHistory!.length).toBeGreaterThanOrEqual(2);
    expect(found.minimalHistory!.length).toBeLessThanOrEqual(6);
    // The same seed without the bug passes.
    expect(runSeed(found.seed, options).verdict).toBe("pass");
  }, 120_000);
});
