import { describe, expect, it } from "vitest";
import { createNetwork } from "./networks.ts";
import { createService, inspectService } from "./services.ts";
import { deployStack } from "./stack-deploy.ts";
import { planStack, stackConfig, validateStack } from "./stack-plan.ts";
import { inspectStackRevision, listStackRevisions, revertStack } from "./stack-revisions.ts";
import { listStacks, removeStack, stackServices, stackTasks } from "./stacks.ts";
import { controlSetup, failure } from "./test-context.ts";

const LABEL = "com.docker.stack.namespace";

const SHOP = `version: "3.9"
services:
  web:
    image: nginx:1.25
    ports: ["8080:80"]
    networks: [front]
    secrets: [db_password]
  db:
    image: postgres:16
    networks: [front]
    secrets: [db_password]
    deploy:
      replicas: 2
networks:
  front: {}
secrets:
  db_password:
    file: ./db_password.txt
`;

const deployShop = (ctx: Parameters<typeof deployStack>[0], text = SHOP, prune = false) =>
  deployStack(ctx, {
    name: "shop",
    files: [{ name: "/srv/shop/stack.yml", text }],
    secretData: { db_password: "aHVudGVyMg==" },
    prune,
  });

describe("stacks: deploy, redeploy, prune, rm", () => {
  it("deploys a 2-service stack with a network and a secret, named NAME_x and labelled", async () => {
    const { ctx, h } = await controlSetup();
    const result = await deployShop(ctx);
    expect(result.revision).toBe(1);
    expect(result.plan.services.map((s) => [s.name, s.action])).toEqual([
      ["shop_db", "create"],
      ["shop_web", "create"],
    ]);
    expect(result.plan.objects).toEqual([
      { kind: "network", name: "shop_front", action: "create" },
      // The key and file tell a client which content to send (secretData.db_password).
      {
        kind: "secret",
        name: "shop_db_password",
        action: "create",
        key: "db_password",
        file: "/srv/shop/db_password.txt",
      },
    ]);
    h.store.view((v) => {
      const network = v.networks.byName("shop_front");
      const secret = v.secrets.byName("shop_db_password");
      expect(network?.spec.labels[LABEL]).toBe("shop");
      expect(secret?.spec.labels[LABEL]).toBe("shop");
      expect(v.secrets.getWithData(secret?.id ?? "")?.spec.data).toBe("aHVudGVyMg==");
      const web = v.services.byName("shop_web");
      expect(web?.spec.labels[LABEL]).toBe("shop");
      expect(web?.spec.taskTemplate.networks[0]?.target).toBe(network?.id);
      expect(web?.spec.taskTemplate.containerSpec.secrets[0]?.secretId).toBe(secret?.id);
      expect(result.serviceIds).toEqual({ shop_db: v.services.byName("shop_db")?.id, shop_web: web?.id });
    });
    expect(await listStacks(ctx)).toEqual([{ name: "shop", services: 2 }]);
    expect((await stackServices(ctx, { name: "shop" })).map((s) => s.spec.name)).toEqual([
      "shop_db",
      "shop_web",
    ]);
    expect(await stackTasks(ctx, { name: "shop" })).toEqual([]);
  });

  it("redeploys only the service that changed; the same files again change nothing", async () => {
    const { ctx } = await controlSetup();
    await deployShop(ctx);
    const db = await inspectService(ctx, { service: "shop_db" });
    const again = await deployShop(ctx);
    expect(again.plan.services.every((s) => s.action === "unchanged")).toBe(true);
    expect(again.plan.isEmpty).toBe(true);
    const changed = await deployShop(ctx, SHOP.replace("nginx:1.25", "nginx:1.27"));
    expect(changed.plan.services.map((s) => [s.name, s.action])).toEqual([
      ["shop_db", "unchanged"],
      ["shop_web", "update"],
    ]);
    expect(changed.plan.services[1]?.changes).toEqual([
      { path: "labels.com.docker.stack.image", before: "nginx:1.25", after: "nginx:1.27" },
      { path: "taskTemplate.containerSpec.image", before: "nginx:1.25", after: "nginx:1.27" },
    ]);
    expect((await inspectService(ctx, { service: "shop_db" })).version).toBe(db.version);
    const web = await inspectService(ctx, { service: "shop_web" });
    expect(web.spec.taskTemplate.containerSpec.image).toBe("nginx:1.27");
    expect(web.updateStatus?.state).toBe("updating");
  });

  it("keeps a dropped service without --prune and removes it with --prune", async () => {
    const { ctx } = await controlSetup();
    await deployShop(ctx);
    const withoutDb = SHOP.replace(/ {2}db:\n[\s\S]*?replicas: 2\n/, "");
    expect(withoutDb).not.toContain("postgres");
    const kept = await deployShop(ctx, withoutDb);
    expect(kept.plan.services.find((s) => s.name === "shop_db")?.action).toBe("keep");
    expect((await stackServices(ctx, { name: "shop" })).length).toBe(2);
    const pruned = await deployShop(ctx, withoutDb, true);
    expect(pruned.plan.services.find((s) => s.name === "shop_db")?.action).toBe("remove");
    expect((await stackServices(ctx, { name: "shop" })).map((s) => s.spec.name)).toEqual(["shop_web"]);
  });

  it("refuses a missing external network, before changing anything, with what to do", async () => {
    const { ctx, h } = await controlSetup();
    const text = `${SHOP.replace("  front: {}", "  front:\n    external: true\n    name: proxy")}`;
    const error = await failure(deployShop(ctx, text));
    expect(error.code).toBe("failed-precondition");
    expect(error.message).toMatch(/external network "proxy", which does not exist: create it first/);
    expect(h.store.view((v) => [v.services.all().length, v.secrets.all().length])).toEqual([0, 0]);
    await createNetwork(ctx, { name: "proxy" });
    await deployShop(ctx, text);
    expect(h.store.view((v) => v.networks.byName("proxy")?.spec.labels[LABEL])).toBeUndefined();
  });

  it("asks for the content of a secret it must create, and refuses names taken outside the stack", async () => {
    const { ctx } = await controlSetup();
    const noData = await failure(deployStack(ctx, { name: "shop", files: [{ name: "s.yml", text: SHOP }] }));
    expect(noData.message).toMatch(
      /send secret "db_password" \(file .*db_password.txt\) as secretData\["db_password"\]/,
    );
    await createNetwork(ctx, { name: "shop_front" });
    const taken = await failure(deployShop(ctx));
    expect(taken.message).toMatch(/network "shop_front" already exists and is not part of stack "shop"/);
  });

  it("reports stack file problems with file:line:column", async () => {
    const { ctx } = await controlSetup();
    const bad = SHOP.replace("replicas: 2", "replicas: two");
    const result = await validateStack(ctx, { files: [{ name: "stack.yml", text: bad }] });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({
      file: "stack.yml",
      line: 13,
      path: "services.db.deploy.replicas",
    });
    const error = await failure(deployShop(ctx, bad));
    expect(error.code).toBe("invalid-argument");
    expect(error.message).toMatch(/stack\.yml:13:\d+: services\.db\.deploy\.replicas/);
  });

  it("rm removes every object with the stack's label and nothing else", async () => {
    const { ctx, h } = await controlSetup();
    await deployShop(ctx);
    await createService(ctx, { spec: { name: "other", taskTemplate: { containerSpec: { image: "x" } } } });
    const removed = await removeStack(ctx, { name: "shop" });
    expect(removed).toEqual({
      stack: "shop",
      services: ["shop_db", "shop_web"],
      networks: ["shop_front"],
      secrets: ["shop_db_password"],
      configs: [],
    });
    h.store.view((v) => {
      expect(v.services.all().map((s) => s.spec.name)).toEqual(["other"]);
      expect(v.networks.all()).toEqual([]);
      expect(v.secrets.all()).toEqual([]);
    });
    expect((await failure(removeStack(ctx, { name: "shop" }))).code).toBe("not-found");
  });

  it("plans without changing anything and prints the normalised config", async () => {
    const { ctx, h } = await controlSetup();
    const plan = await planStack(ctx, { name: "shop", files: [{ name: "s.yml", text: SHOP }] });
    expect(plan.services.map((s) => s.action)).toEqual(["create", "create"]);
    expect(h.store.view((v) => v.services.all().length)).toBe(0);
    const { yaml } = await stackConfig(ctx, { name: "shop", files: [{ name: "s.yml", text: SHOP }] });
    expect(yaml).toContain("published: 8080");
    expect(yaml).toContain("image: nginx:1.25");
  });
});

describe("stacks: revisions", () => {
  it("records each deploy, shows the diff against now, and reverts to an earlier revision", async () => {
    const { ctx, h } = await controlSetup();
    await deployShop(ctx);
    await deployShop(ctx, SHOP.replace("nginx:1.25", "nginx:1.27"));
    const list = await listStackRevisions(ctx, { name: "shop" });
    expect(list.map((r) => [r.revision, r.created, r.updated])).toEqual([
      [2, 0, 1],
      [1, 2, 0],
    ]);
    const first = await inspectStackRevision(ctx, { name: "shop", revision: 1 });
    expect(first.revision.spec.yaml).toContain("nginx:1.25");
    expect(first.revision.spec.services.map((s) => s.name)).toEqual(["shop_db", "shop_web"]);
    expect(first.diff.find((s) => s.name === "shop_web")?.changes[1]).toMatchObject({
      path: "taskTemplate.containerSpec.image",
      before: "nginx:1.27",
      after: "nginx:1.25",
    });
    const reverted = await revertStack(ctx, { name: "shop", revision: 1 });
    expect(reverted.revision).toBe(3);
    expect(reverted.plan.services.map((s) => [s.name, s.action])).toEqual([
      ["shop_db", "unchanged"],
      ["shop_web", "update"],
    ]);
    const web = await inspectService(ctx, { service: "shop_web" });
    expect(web.spec.taskTemplate.containerSpec.image).toBe("nginx:1.25");
    expect(h.store.view((v) => v.stackRevisions.byStack("shop").length)).toBe(3);
  });

  it("keeps the latest 10 revisions per stack and says so for older ones", async () => {
    const { ctx, h } = await controlSetup();
    for (let i = 0; i < 12; i++) await deployShop(ctx, SHOP.replace("replicas: 2", `replicas: ${i + 1}`));
    expect(h.store.view((v) => v.stackRevisions.byStack("shop").map((r) => r.spec.revision))).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    const gone = await failure(revertStack(ctx, { name: "shop", revision: 2 }));
    expect(gone.code).toBe("not-found");
    expect(gone.message).toMatch(/not kept on the cluster \(the last 10 are\)/);
  });
});
