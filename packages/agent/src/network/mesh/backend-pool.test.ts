import { describe, expect, it } from "vitest";
import { BackendPool } from "./backend-pool.ts";

const b = (taskId: string) => ({ taskId, host: "10.0.0.1", port: 80 });

describe("BackendPool", () => {
  it("spreads idle backends round robin", () => {
    const pool = new BackendPool();
    pool.setBackends([b("a"), b("b"), b("c")]);
    const picks = Array.from({ length: 6 }, () => pool.pick()!.backend.taskId);
    expect(picks).toEqual(["a", "b", "c", "a", "b", "c"]);
  });

  it("prefers the backend with the fewest connections, ties round robin", () => {
    const pool = new BackendPool();
    pool.setBackends([b("a"), b("b"), b("c")]);
    const held = [pool.pick()!, pool.pick()!]; // a, b
    for (const h of held) pool.acquire(h.key);
    const next = pool.pick()!;
    expect(next.backend.taskId).toBe("c");
    pool.acquire(next.key);
    pool.release(held[0]!.key); // a is idle again
    expect(pool.pick()!.backend.taskId).toBe("a");
    pool.checkInvariants();
  });

  it("a removed backend gets nothing new but keeps counting its open connections", () => {
    const pool = new BackendPool();
    pool.setBackends([b("a"), b("b")]);
    const a = pool.pick()!;
    pool.acquire(a.key);
    pool.removeTask("a");
    expect(Array.from({ length: 4 }, () => pool.pick()!.backend.taskId)).toEqual(["b", "b", "b", "b"]);
    expect(pool.connectionsByTask().get("a")).toBe(1);
    pool.checkInvariants();
    pool.release(a.key);
    expect(pool.connectionsByTask().has("a")).toBe(false);
    pool.checkInvariants();
  });

  it("skips excluded backends and says when none is left", () => {
    const pool = new BackendPool();
    pool.setBackends([b("a")]);
    const a = pool.pick()!;
    expect(pool.pick(new Set([a.key]))).toBeUndefined();
    pool.setBackends([]);
    expect(pool.pick()).toBeUndefined();
  });
});
