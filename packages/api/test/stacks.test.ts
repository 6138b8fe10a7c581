import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiHarness, failure, historyCaughtUp } from "./api-harness.ts";

const STACK = `version: "3.9"
services:
  web:
    image: nginx:1.25
    networks: [front]
    secrets: [token]
  worker:
    image: shoal-test/worker:1
    deploy:
      replicas: 2
networks:
  front: {}
secrets:
  token:
    file: ./token.txt
`;

const deployInput = (text = STACK) => ({
  name: "shop",
  files: [{ name: "stack.yml", text }],
  secretData: { token: "c2VjcmV0" },
});

let h: ApiHarness;
let viewer: string;
let operator: string;
beforeEach(async () => {
  h = await ApiHarness.create();
  h.writer.start();
  const admin = await h.setUp();
  viewer = await h.userWithToken(admin, "vera", "viewer");
  operator = await h.userWithToken(admin, "otto", "operator");
});
afterEach(async () => {
  await h.close();
});

describe("stacks router", () => {
  it("lets a viewer read, validate and plan, but not deploy, remove or revert", async () => {
    const v = h.caller({ token: viewer });
    for (const call of [
      v.stacks.deploy(deployInput()),
      v.stacks.remove({ name: "shop" }),
      v.stacks.revert({ name: "shop", revision: 1 }),
    ]) {
      const e = await failure(call);
      expect(e.code).toBe("FORBIDDEN");
      expect(e.message).toMatch(/needs the operator role/);
    }
    const plan = await v.stacks.plan(deployInput());
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ["shop_web", "create"],
      ["shop_worker", "create"],
    ]);
    expect(h.store.view((s) => s.services.all())).toEqual([]);
    expect((await v.stacks.list()).items).toEqual([]);
  });

  it("validate returns each problem at its line and column", async () => {
    const bad = STACK.replace("replicas: 2", "replicas: two").replace("image: nginx:1.25", "imag: nginx");
    const result = await h
      .caller({ token: viewer })
      .stacks.validate({ files: [{ name: "stack.yml", text: bad }] });
    expect(result.ok).toBe(false);
    expect(result.errors.map((d) => [d.line, d.column, d.path, d.code])).toEqual([
      [4, 5, "services.web.imag", "unknown-key"],
      [10, 17, "services.worker.deploy.replicas", "invalid-value"],
    ]);
  });

  it("deploys as an operator; lists, services, tasks, config; removes", async () => {
    const op = h.caller({ token: operator });
    const deployed = await op.stacks.deploy(deployInput());
    expect(deployed.revision).toBe(1);
    expect(Object.keys(deployed.serviceIds)).toEqual(["shop_web", "shop_worker"]);
    expect((await op.stacks.list()).items).toEqual([{ name: "shop", services: 2 }]);
    expect((await op.stacks.services({ name: "shop" })).items.map((s) => s.spec.name)).toEqual([
      "shop_web",
      "shop_worker",
    ]);
    expect((await op.stacks.tasks({ name: "shop" })).items).toEqual([]);
    const { yaml } = await op.stacks.config({ name: "shop", files: [{ name: "stack.yml", text: STACK }] });
    expect(yaml).toContain("replicas: 2");
    const removed = await op.stacks.remove({ name: "shop" });
    expect(removed).toMatchObject({
      services: ["shop_web", "shop_worker"],
      networks: ["shop_default", "shop_front"],
    });
    expect((await failure(op.stacks.remove({ name: "shop" }))).code).toBe("NOT_FOUND");
  });

  it("a deploy's revision reaches the SQLite history from the log; revert deploys it again", async () => {
    const op = h.caller({ token: operator });
    await op.stacks.deploy(deployInput());
    await op.stacks.deploy(deployInput(STACK.replace("nginx:1.25", "nginx:1.27")));
    await historyCaughtUp(h);
    const revisions = await op.stacks.revisions({ name: "shop" });
    expect(revisions.map((r) => [r.revision, r.actor])).toEqual([
      [2, "token:otto/t"],
      [1, "token:otto/t"],
    ]);
    expect(revisions[1]?.yaml).toContain("image: nginx:1.25");
    expect(revisions[0]?.specs).toHaveLength(2);
    const rows = await h.db.prisma.stackRevision.count({ where: { stack: "shop" } });
    expect(rows).toBe(2);

    const detail = await op.stacks.revision({ name: "shop", revision: 1 });
    expect(detail.diff.map((s) => [s.name, s.action])).toEqual([
      ["shop_web", "update"],
      ["shop_worker", "unchanged"],
    ]);
    const reverted = await op.stacks.revert({ name: "shop", revision: 1 });
    expect(reverted.revision).toBe(3);
    const web = h.store.view((v) => v.services.byName("shop_web"));
    expect(web?.spec.taskTemplate.containerSpec.image).toBe("nginx:1.25");
    await historyCaughtUp(h);
    expect((await op.stacks.revisions({ name: "shop" }))[0]?.revision).toBe(3);
    const audit = await h.api.history.audit({ actor: "token:otto/t", limit: 100 });
    expect(audit.some((e) => e.action === "stack.revert")).toBe(true);
  });

  it("a missing external network is refused with what to do", async () => {
    const text = STACK.replace("  front: {}", "  front:\n    external: true");
    const e = await failure(h.caller({ token: operator }).stacks.deploy(deployInput(text)));
    expect(e.code).toBe("PRECONDITION_FAILED");
    expect(e.message).toMatch(/external network "front", which does not exist: create it first/);
  });
});
