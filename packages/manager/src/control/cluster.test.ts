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

  it("update sets the cluster's rebalance setting; an update that does not mention it keeps it", async () => {
    const { ctx, h } = await controlSetup();
    // A setting this input has no field for survives an update too.
    await h.store.update((tx) => {
      const c = tx.clusters.all()[0];
      if (c)
        tx.update("cluster", {
          ...c,
          spec: { ...c.spec, dispatcher: { ...c.spec.dispatcher, heartbeatGraceMultiplier: 4 } },
        });
    });
    expect((await updateCluster(ctx, { rebalance: "auto" })).spec.orchestration.rebalance).toBe("auto");
    const kept = await updateCluster(ctx, { taskHistoryRetentionLimit: 3 });
    expect(kept.spec.orchestration).toEqual({ taskHistoryRetentionLimit: 3, rebalance: "auto" });
    expect(kept.spec.dispatcher.heartbeatGraceMultiplier).toBe(4);
    expect((await updateCluster(ctx, { rebalance: "off" })).spec.orchestration.rebalance).toBe("off");
    const cleared = await updateCluster(ctx, { rebalance: null });
    expect(cleared.spec.orchestration).not.toHaveProperty("rebalance");
    const bad = await failure(updateCluster(ctx, { rebalance: "sometimes" as never }));
    expect(bad.code).toBe("invalid-argument");
  });
});
