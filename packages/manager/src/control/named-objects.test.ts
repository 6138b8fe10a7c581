import { describe, expect, it } from "vitest";
import { createConfig, inspectConfig, listConfigs, removeConfig } from "./configs.ts";
import { createNetwork, inspectNetwork, listNetworks, removeNetwork } from "./networks.ts";
import { createSecret, inspectSecret, listSecrets, removeSecret } from "./secrets.ts";
import { createService, removeService } from "./services.ts";
import { controlSetup, failure } from "./test-context.ts";

describe("control API: networks, secrets, configs", () => {
  it("secrets: create, inspect and list never return the payload", async () => {
    const { ctx } = await controlSetup();
    const created = await createSecret(ctx, { name: "pw", data: "aHVudGVyMg==", labels: { a: "b" } });
    for (const s of [created, await inspectSecret(ctx, { secret: "pw" }), ...(await listSecrets(ctx))]) {
      expect(s.spec).toEqual({ name: "pw", labels: { a: "b" } });
      expect(JSON.stringify(s)).not.toContain("aHVudGVyMg");
    }
    const dup = await failure(createSecret(ctx, { name: "pw", data: "" }));
    expect(dup.code).toBe("already-exists");
    expect((await failure(createSecret(ctx, { name: "x", data: "not base64!" }))).code).toBe(
      "invalid-argument",
    );
  });

  it("secrets and configs in use cannot be removed", async () => {
    const { ctx } = await controlSetup();
    await createSecret(ctx, { name: "pw", data: "" });
    await createConfig(ctx, { name: "conf", data: "YQ==" });
    await createService(ctx, {
      spec: {
        name: "web",
        taskTemplate: {
          containerSpec: { image: "x", secrets: [{ source: "pw" }], configs: [{ source: "conf" }] },
        },
      },
    });
    expect((await failure(removeSecret(ctx, { secret: "pw" }))).message).toMatch(/used by service "web"/);
    expect((await failure(removeConfig(ctx, { config: "conf" }))).message).toMatch(/used by service "web"/);
  });

  it("configs show their data and are removed", async () => {
    const { ctx } = await controlSetup();
    await createConfig(ctx, { name: "conf", data: "YQ==" });
    expect((await inspectConfig(ctx, { config: "conf" })).spec.data).toBe("YQ==");
    expect((await listConfigs(ctx)).map((c) => c.spec.name)).toEqual(["conf"]);
    await removeConfig(ctx, { config: "conf" });
    expect((await failure(inspectConfig(ctx, { config: "conf" }))).code).toBe("not-found");
  });

  it("networks: unique names, one ingress, no removal while used", async () => {
    const { ctx } = await controlSetup();
    const n = await createNetwork(ctx, { name: "back" });
    expect(n.spec.driver.name).toBe("overlay");
    expect((await failure(createNetwork(ctx, { name: "back" }))).message).toBe(
      'network "back" already exists: choose another name',
    );
    await createNetwork(ctx, { name: "ingress", ingress: true });
    expect((await failure(createNetwork(ctx, { name: "mesh", ingress: true }))).message).toMatch(
      /already the ingress/,
    );
    await createService(ctx, {
      spec: { name: "web", taskTemplate: { containerSpec: { image: "x" }, networks: [{ target: "back" }] } },
    });
    expect((await failure(removeNetwork(ctx, { network: "back" }))).message).toBe(
      'network "back" is in use by service "web": remove the service or detach it from the network first',
    );
    await createService(ctx, {
      spec: { name: "api", taskTemplate: { containerSpec: { image: "x" }, networks: [{ target: "back" }] } },
    });
    const refused = await failure(removeNetwork(ctx, { network: "back" }));
    expect(refused.code).toBe("failed-precondition");
    expect(refused.message).toBe(
      'network "back" is in use by services "api", "web": remove them or detach them from the network first',
    );
    await createService(ctx, {
      spec: {
        name: "site",
        taskTemplate: { containerSpec: { image: "x" } },
        endpointSpec: { ports: [{ targetPort: 80, publishedPort: 8080 }] },
      },
    });
    expect((await failure(removeNetwork(ctx, { network: "ingress" }))).message).toBe(
      'network "ingress" is in use by service "site": remove the service or its ingress-published ports first',
    );
    await removeService(ctx, { service: "site" });
    await removeNetwork(ctx, { network: "ingress" });
    expect((await listNetworks(ctx)).map((x) => x.spec.name)).toEqual(["back"]);
    const inspected = await inspectNetwork(ctx, { network: n.id });
    expect(inspected.id).toBe(n.id);
    expect(inspected.services.map((x) => x.name)).toEqual(["api", "web"]);
    expect(inspected.containers).toEqual([]);
  });
});
