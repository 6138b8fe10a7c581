import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameBatcher } from "./frame-batcher.ts";

/** Node has no animation frames: stand in with a frame every 16 ms, or none (a tab drawn seldom). */
function animationFrames(every: number | undefined): void {
  vi.stubGlobal("requestAnimationFrame", (callback: () => void) =>
    every === undefined ? setTimeout(() => {}, 1e9) : setTimeout(callback, every),
  );
  vi.stubGlobal("cancelAnimationFrame", (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
}

describe("FrameBatcher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("hands over everything added before the next frame at once, in order", () => {
    animationFrames(16);
    const flushed: number[][] = [];
    const batcher = new FrameBatcher<number>((items) => flushed.push(items));
    for (let i = 0; i < 200; i++) batcher.add(i);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(flushed).toEqual([Array.from({ length: 200 }, (_, i) => i)]);
    batcher.add(200);
    vi.advanceTimersByTime(16);
    expect(flushed).toEqual([Array.from({ length: 200 }, (_, i) => i), [200]]);
  });

  it("waits at most 100 ms when no frame comes", () => {
    animationFrames(undefined);
    const flushed: string[][] = [];
    const batcher = new FrameBatcher<string>((items) => flushed.push(items));
    batcher.add("a");
    vi.advanceTimersByTime(99);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([["a"]]);
  });

  it("drops what is pending when cancelled", () => {
    animationFrames(16);
    const flushed: string[][] = [];
    const batcher = new FrameBatcher<string>((items) => flushed.push(items));
    batcher.add("a");
    batcher.cancel();
    vi.advanceTimersByTime(200);
    expect(flushed).toEqual([]);
  });
});
