import { describe, expect, it } from "vitest";
import { HeartbeatDeadlines } from "./heartbeat-deadlines.ts";

describe("HeartbeatDeadlines", () => {
  it("expires nodes whose deadline passed, once", () => {
    const d = new HeartbeatDeadlines();
    d.extend("a", 100);
    d.extend("b", 300);
    expect(d.takeExpired(200)).toEqual(["a"]);
    expect(d.takeExpired(200)).toEqual([]);
    expect(d.has("b")).toBe(true);
  });

  it("shortens a known node's deadline, never lengthens it, and says when the node is unknown", () => {
    const d = new HeartbeatDeadlines();
    d.extend("a", 2_500);
    expect(d.shorten("a", 1_500)).toBe(true);
    expect(d.shorten("a", 3_000)).toBe(true);
    expect(d.takeExpired(1_500)).toEqual(["a"]);
    expect(d.shorten("unknown", 1_000)).toBe(false);
  });
});
