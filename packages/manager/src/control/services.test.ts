import { describe, expect, it } from "vitest";
import { createNetwork } from "./networks.ts";
import { createSecret } from "./secrets.ts";
import {
  createService,
  inspectService,
  listServices,
  removeService,
  rollbackService,
  scaleService,
  updateService,
} from "./services.ts";
import { failure, controlSetup as setup } from "./test-context.ts";

const web = { name: "web", taskTemplate: { containerSpec: { image: "nginx:1" } } };

describe("control API: services", () => {
  it("creates a service with docker's defaults filled in", async () => {
    const { ctx } = await setup();
    const s = await createService(ctx, { spec: web });
    expect(s.spec.mode).toEqual({ replicated: { replicas: 1 } });
    expect(s.spec.taskTemplate.restartPolicy).toEqual({
      condition: "any",
      delayMs: 5_000,
      maxAttempts: 0,
      windowMs: 0,
    });
    expect(s.spec.updateConfig).toMatchObject({ parallelism: 1, failureAction: "pause", monitorMs: 5_000 });
    expect(await inspectService(ctx, { service: "web" })).toEqual(s);
    expect(await inspectService(ctx, { service: s.id.slice(0, 6) })).toEqual(s);
  });

  it("refuses a second service of the same name, saying what to do", async () => {
    const { ctx } = await setup();
    await createService(ctx, { spec: web });
    const e = await failure(createService(ctx, { spec: web }));
    expect(e.code).toBe("already-exists");
    expect(e.message).toBe('service "web" already exists: choose another name or update it');
  });

  it.each([
    [{ spec: { name: "web" } }, /taskTemplate/],
    [{ spec: { name: "-bad", taskTemplate: { containerSpec: { image: "x" } } } }, /name/],
    [{ spec: { ...web, mode: { replicated: { replicas: -1 } } } }, /replicas/],
    [{ spec: { ...web, taskTemplate: { containerSpec: { image: "x", env: ["NOVALUE"] } } } }, /KEY=value/],
  ])("validates input %#", async (input, why) => {
    const { ctx } = await setup();
    const e = await failure(createService(ctx, input as never));
    expect(e.code).toBe("invalid-argument");
    expect(e.message).toMatch(why);
  });

  it("refuses bad constraints, unknown secrets and networks, and taken ports", async () => {
    const { ctx } = await setup();
    const constraint = await failure(
      createService(ctx, {
        spec: {
          ...web,
          taskTemplate: { containerSpec: { image: "x" }, placement: { constraints: ["node.foo == 1"] } },
        },
      }),
    );
    expect(constraint.code).toBe("invalid-argument");
    expect(constraint.message).toMatch(/unknown key "node.foo"/);
    const secret = await failure(
      createService(ctx, {
        spec: { ...web, taskTemplate: { containerSpec: { image: "x", secrets: [{ source: "pw" }] } } },
      }),
    );
    expect(secret.code).toBe("not-found");
    expect(secret.message).toMatch(/secret "pw" not found/);
    const net = await failure(
      createService(ctx, {
        spec: { ...web, taskTemplate: { containerSpec: { image: "x" }, networks: [{ target: "n" }] } },
      }),
    );
    expect(net.message).toMatch(/network "n" not found/);
    await createService(ctx, {
      spec: { ...web, endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } },
    });
    const port = await failure(
      createService(ctx, {
        spec: { ...web, name: "api", endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] } },
      }),
    );
    expect(port.message).toMatch(/8080\/tcp is already published by service "web"/);
  });

  it("resolves secret and network names to ids", async () => {
    const { ctx } = await setup();
    const secret = await createSecret(ctx, { name: "pw", data: "c2VjcmV0" });
    const network = await createNetwork(ctx, { name: "back" });
    const s = await createService(ctx, {
      spec: {
        ...web,
        taskTemplate: {
          containerSpec: { image: "x", secrets: [{ source: "pw" }] },
          networks: [{ target: "back" }],
        },
      },
    });
    expect(s.spec.taskTemplate.containerSpec.secrets[0]).toMatchObject({
      secretId: secret.id,
      file: { name: "pw" },
    });
    expect(s.spec.taskTemplate.networks[0]?.target).toBe(network.id);
    // What inspect returns can be sent back as an update: nothing changes.
    const same = await updateService(ctx, { service: "web", spec: s.spec });
    expect(same.version).toBe(s.version);
  });

  it("update: starts a rolling update when the task template changes, keeps the previous spec", async () => {
    const { ctx } = await setup();
    const s = await createService(ctx, { spec: web });
    const labelsOnly = await updateService(ctx, { service: "web", spec: { ...web, labels: { a: "b" } } });
    expect(labelsOnly.updateStatus).toBeUndefined();
    const u = await updateService(ctx, {
      service: "web",
      spec: { ...web, taskTemplate: { containerSpec: { image: "nginx:2" } } },
    });
    expect(u.updateStatus?.state).toBe("updating");
    expect(u.previousSpec?.taskTemplate.containerSpec.image).toBe("nginx:1");
    const forced = await updateService(ctx, { service: s.id, spec: u.spec, force: true });
    expect(forced.spec.taskTemplate.forceUpdate).toBe(1);
  });

  it("update: the same spec again resumes a paused update", async () => {
    const { h, ctx } = await setup();
    const s = await createService(ctx, { spec: web });
    await updateService(ctx, {
      service: "web",
      spec: { ...web, taskTemplate: { containerSpec: { image: "nginx:2" } } },
    });
    await h.updateService(s.id, (x) => ({
      ...x,
      updateStatus: { state: "paused", startedAtMs: 0, message: "update paused: 1 of 1 new tasks failed" },
    }));
    const resumed = await updateService(ctx, { service: "web", spec: h.service(s.id).spec });
    expect(resumed.updateStatus?.state).toBe("updating");
  });

  it("update: refuses renames, mode switches and stale versions", async () => {
    const { ctx } = await setup();
    const s = await createService(ctx, { spec: web });
    expect(
      (await failure(updateService(ctx, { service: "web", spec: { ...web, name: "api" } }))).message,
    ).toMatch(/cannot be renamed/);
    expect(
      (await failure(updateService(ctx, { service: "web", spec: { ...web, mode: { global: {} } } }))).message,
    ).toMatch(/replicated and global/);
    await scaleService(ctx, { service: "web", replicas: 3 });
    const stale = await failure(updateService(ctx, { service: "web", version: s.version, spec: web }));
    expect(stale.code).toBe("conflict");
    expect(stale.message).toMatch(/changed since you read it/);
  });

  it("scale applies to replicated services only", async () => {
    const { ctx } = await setup();
    await createService(ctx, { spec: web });
    expect((await scaleService(ctx, { service: "web", replicas: 5 })).spec.mode).toEqual({
      replicated: { replicas: 5 },
    });
    await createService(ctx, { spec: { ...web, name: "agent", mode: { global: {} } } });
    const e = await failure(scaleService(ctx, { service: "agent", replicas: 2 }));
    expect(e.code).toBe("failed-precondition");
  });

  it("rollback swaps spec and previous spec, and needs a previous spec", async () => {
    const { ctx } = await setup();
    await createService(ctx, { spec: web });
    expect((await failure(rollbackService(ctx, { service: "web" }))).message).toMatch(/no previous spec/);
    await updateService(ctx, {
      service: "web",
      spec: { ...web, taskTemplate: { containerSpec: { image: "nginx:2" } } },
    });
    const r = await rollbackService(ctx, { service: "web" });
    expect(r.spec.taskTemplate.containerSpec.image).toBe("nginx:1");
    expect(r.previousSpec?.taskTemplate.containerSpec.image).toBe("nginx:2");
    expect(r.updateStatus?.state).toBe("rollback_started");
  });

  it("lists with filters and removes", async () => {
    const { ctx } = await setup();
    await createService(ctx, { spec: { ...web, labels: { tier: "front" } } });
    await createService(ctx, { spec: { ...web, name: "worker", mode: { global: {} } } });
    expect((await listServices(ctx)).map((s) => s.spec.name)).toEqual(["web", "worker"]);
    expect((await listServices(ctx, { filters: { mode: "global" } })).map((s) => s.spec.name)).toEqual([
      "worker",
    ]);
    expect((await listServices(ctx, { filters: { label: ["tier=front"] } })).map((s) => s.spec.name)).toEqual(
      ["web"],
    );
    await removeService(ctx, { service: "web" });
    expect((await failure(inspectService(ctx, { service: "web" }))).code).toBe("not-found");
  });

  it("drives the orchestrators end to end: create, update, converge", async () => {
    const { h, ctx } = await setup();
    await h.addNode();
    h.start();
    await createService(ctx, {
      spec: { ...web, mode: { replicated: { replicas: 2 } }, updateConfig: { monitorMs: 1_000 } },
    });
    await h.converge();
    const s = await updateService(ctx, {
      service: "web",
      spec: {
        ...web,
        mode: { replicated: { replicas: 2 } },
        taskTemplate: { containerSpec: { image: "nginx:2" } },
      },
    });
    for (let i = 0; i < 10 && h.service(s.id).updateStatus?.state !== "completed"; i++) {
      await h.converge();
      await h.advance(1_000);
    }
    expect(h.service(s.id).updateStatus?.state).toBe("completed");
    expect(h.running(s.id).map((t) => t.spec.containerSpec.image)).toEqual(["nginx:2", "nginx:2"]);
    await h.stop();
  });

  it("keeps the rebalance setting: set on create, kept by an update that does not mention it", async () => {
    const { ctx } = await setup();
    const created = await createService(ctx, { spec: { ...web, rebalance: "auto" } });
    expect(created.spec.rebalance).toBe("auto");
    const plain = await createService(ctx, { spec: { ...web, name: "plain" } });
    expect(plain.spec).not.toHaveProperty("rebalance");

    // Another change, rebalance left out: the setting stays, and no rolling update starts for it.
    const scaled = await updateService(ctx, {
      service: "web",
      spec: { ...web, mode: { replicated: { replicas: 3 } } },
    });
    expect(scaled.spec.rebalance).toBe("auto");
    // An inspected spec sent back as it is changes nothing.
    const same = await updateService(ctx, { service: "web", spec: scaled.spec });
    expect(same.version).toBe(scaled.version);

    const off = await updateService(ctx, { service: "web", spec: { ...scaled.spec, rebalance: "off" } });
    expect(off.spec.rebalance).toBe("off");
    expect(off.updateStatus).toBeUndefined();
    // null: back to following the cluster's setting.
    const cleared = await updateService(ctx, { service: "web", spec: { ...off.spec, rebalance: null } });
    expect(cleared.spec).not.toHaveProperty("rebalance");

    const bad = await failure(
      createService(ctx, { spec: { ...web, name: "bad", rebalance: "always" as never } }),
    );
    expect(bad.code).toBe("invalid-argument");
  });
});
