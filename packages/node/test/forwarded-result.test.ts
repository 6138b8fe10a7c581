/**
 * The forwarded-call envelope and the follower's wait for its replica: the wait ends when the
 * replica reaches the leader's applied index (not before), and gives up after its limit.
 */
import { describe, expect, it } from "vitest";
import { decodeForwardedResult, encodeForwardedResult, waitForApplied } from "../src/forwarded-result.ts";

describe("a forwarded call's result", () => {
  it("carries the value and the leader's applied index", () => {
    const json = encodeForwardedResult({ id: "u1" }, 42);
    expect(decodeForwardedResult(json)).toEqual({ value: { id: "u1" }, appliedIndex: 42 });
    expect(decodeForwardedResult(encodeForwardedResult(undefined, 7))).toEqual({
      value: null,
      appliedIndex: 7,
    });
    expect(() => decodeForwardedResult('{"id":"u1"}')).toThrow(/unknown shape/);
  });

  it("is answered once the follower's replica has applied the leader's index", async () => {
    const replica = { version: 10 };
    setTimeout(() => (replica.version = 11), 30);
    setTimeout(() => (replica.version = 12), 60);
    let answered = false;
    const waiting = waitForApplied(replica, 12, 2_000).then((caughtUp) => {
      answered = true;
      return caughtUp;
    });
    await new Promise((r) => setTimeout(r, 45));
    expect(answered).toBe(false);
    expect(await waiting).toBe(true);
    expect(replica.version).toBe(12);
  });

  it("stops waiting after the limit when the replica lags", async () => {
    const started = Date.now();
    expect(await waitForApplied({ version: 3 }, 4, 50)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
