import { describe, expect, it } from "vitest";
import { inspectNode, listNodes, removeNode, updateNode } from "./nodes.ts";
import { controlSetup, failure } from "./test-context.ts";

describe("control API: nodes", () => {
  it("updates availability and labels, lists with filters", async () => {
    const { h, ctx } = await controlSetup();
    await h.addNode({ hostname: "a", labels: { zone: "x", old: "1" } });
    await h.addNode({ hostname: "b" });
    const n = await updateNode(ctx, {
      node: "a",
      availability: "drain",
      labelAdd: { disk: "ssd" },
      labelRemove: ["old"],
    });
    expect(n.spec.availability).toBe("drain");
    expect(n.spec.labels).toEqual({ zone: "x", disk: "ssd" });
    expect((await listNodes(ctx, { filters: { availability: "drain" } })).map((x) => x.id)).toEqual([n.id]);
    expect((await listNodes(ctx, { filters: { label: ["disk=ssd"] } })).map((x) => x.id)).toEqual([n.id]);
    expect((await inspectNode(ctx, { node: n.id })).spec.labels.disk).toBe("ssd");
    const missing = await failure(updateNode(ctx, { node: "a", labelRemove: ["nope"] }));
    expect(missing.message).toMatch(/has no label "nope"/);
    expect((await failure(updateNode(ctx, { node: "a", availability: "gone" as never }))).code).toBe(
      "invalid-argument",
    );
    expect((await failure(inspectNode(ctx, { node: "zzz" }))).message).toBe(
      'node "zzz" not found: check the name or id with `node ls`',
    );
  });

  it("refuses to demote the last manager", async () => {
    const { h, ctx } = await controlSetup();
    await h.addNode({ hostname: "m1", role: "manager" });
    const e = await failure(updateNode(ctx, { node: "m1", role: "worker" }));
    expect(e.code).toBe("failed-precondition");
    expect(e.message).toMatch(/last manager: promote another node/);
    await h.addNode({ hostname: "m2", role: "manager" });
    expect((await updateNode(ctx, { node: "m1", role: "worker" })).spec.role).toBe("worker");
  });

  it("removes only demoted nodes, and ready ones only with force", async () => {
    const { h, ctx } = await controlSetup();
    await h.addNode({ hostname: "m", role: "manager" });
    const w = await h.addNode({ hostname: "w" });
    expect((await failure(removeNode(ctx, { node: "m" }))).message).toMatch(/is a manager: demote it first/);
    const ready = await failure(removeNode(ctx, { node: "w" }));
    expect(ready.code).toBe("failed-precondition");
    expect(ready.message).toMatch(/is ready.*with force/);
    await removeNode(ctx, { node: "w", force: true });
    expect(h.store.view((v) => v.nodes.get(w))).toBeUndefined();
  });
});
