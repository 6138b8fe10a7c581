import { describe, expect, it } from "vitest";
import { inspectCluster, updateCluster } from "./cluster.ts";
import { controlSetup, failure } from "./test-context.ts";

describe("control API: cluster", () => {
  it("inspect leaves out the CA key and unlock keys", async () => {
    const { ctx } = await controlSetup();
    const c = await inspectCluster(ctx);
    expect(c.rootCa).not.toHaveProperty("caKeyPem");
    expect(c).not.toHaveProperty("unlockKeys");
  });

  it("update changes only the settings given, and checks the version", async () => {
    const { ctx } = await controlSetup();
    const before = await inspectCluster(ctx);
    const after = await updateCluster(ctx, { taskHistoryRetentionLimit: 2, version: before.version });
    expect(after.spec.orchestration.taskHistoryRetentionLimit).toBe(2);
    expect(after.spec.dispatcher).toEqual(before.spec.dispatcher);
    const stale = await failure(updateCluster(ctx, { heartbeatPeriodMs: 1_000, version: before.version }));
    expect(stale.code).toBe("conflict");
    expect((await failure(updateCluster(ctx, { heartbeatPeriodMs: 0 }))).code).toBe("invalid-argument");
  });
});
