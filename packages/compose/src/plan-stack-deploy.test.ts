import { ServiceSpec } from "@shoal/store";
import { describe, expect, test } from "vitest";
import { loadStack } from "./load-stack.ts";
import { formatStackPlan, planStackDeploy } from "./plan-stack-deploy.ts";
import { resolveStackReferences } from "./resolve-references.ts";

const ids: Record<string, string> = {
  shop_default: "n".repeat(25),
  shop_db_password: "s".repeat(25),
};
const lookup = {
  networkId: (n: string) => ids[n],
  secretId: (n: string) => ids[n],
  configId: (n: string) => ids[n],
};

function specs(text: string) {
  const result = loadStack({ files: [{ name: "stack.yml", text }], stackName: "shop" });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.services.map((s) => {
    const r = resolveStackReferences(s, lookup);
    if (!r.ok) throw new Error(r.missing.join(", "));
    return r.spec;
  });
}

const v1 = `
services:
  web: { image: "nginx:1.25", ports: ["80:80"] }
  api: { image: "shop/api:1", secrets: [db_password] }
  old: { image: "shop/old" }
secrets:
  db_password: { file: ./pw }
`;
const v2 = `
services:
  web: { image: "nginx:1.27", ports: ["8080:80"] }
  api: { image: "shop/api:1", secrets: [db_password] }
  new: { image: "shop/new", deploy: { replicas: 2 } }
secrets:
  db_password: { file: ./pw }
`;

describe("planStackDeploy", () => {
  test("resolved specs are valid store ServiceSpecs", () => {
    for (const spec of specs(v1)) expect(ServiceSpec.safeParse(spec).success).toBe(true);
  });

  test("create, update with field diff, unchanged, keep without prune", () => {
    const plan = planStackDeploy(specs(v1), specs(v2));
    expect(plan.services.map((s) => [s.name, s.action])).toEqual([
      ["shop_api", "unchanged"],
      ["shop_new", "create"],
      ["shop_old", "keep"],
      ["shop_web", "update"],
    ]);
    expect(plan.services[3]?.changes.map((c) => c.path)).toEqual([
      "endpointSpec.ports[0].publishedPort",
      "labels.com.docker.stack.image",
      "taskTemplate.containerSpec.image",
    ]);
    expect(plan.isEmpty).toBe(false);
  });

  test("prune removes services no longer in the files", () => {
    const plan = planStackDeploy(specs(v1), specs(v2), { prune: true });
    expect(plan.services.find((s) => s.name === "shop_old")?.action).toBe("remove");
  });

  test("deploying the same files again changes nothing", () => {
    const plan = planStackDeploy(specs(v1), specs(v1));
    expect(plan.isEmpty).toBe(true);
  });

  test("the readable form lists each service and changed field", () => {
    const text = formatStackPlan(planStackDeploy(specs(v1), specs(v2), { prune: true }));
    expect(text).toBe(
      [
        "Unchanged service shop_api",
        "Creating service shop_new",
        "Removing service shop_old",
        "Updating service shop_web",
        "  endpointSpec.ports[0].publishedPort: 80 → 8080",
        '  labels.com.docker.stack.image: "nginx:1.25" → "nginx:1.27"',
        '  taskTemplate.containerSpec.image: "nginx:1.25" → "nginx:1.27"',
      ].join("\n"),
    );
  });

  test("resolving reports every missing object", () => {
    const result = loadStack({ files: [{ name: "s.yml", text: v1 }], stackName: "shop" });
    if (!result.ok) throw new Error("load failed");
    const none = { networkId: () => undefined, secretId: () => undefined, configId: () => undefined };
    const api = result.services.find((s) => s.name === "shop_api");
    expect(api && resolveStackReferences(api, none)).toEqual({
      ok: false,
      missing: ["network shop_default", "secret shop_db_password"],
    });
  });
});
