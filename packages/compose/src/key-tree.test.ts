import { describe, expect, test } from "vitest";
import { formatStackConfig } from "./format-stack-config.ts";
import { COMPOSE_KEY_TREE, keysAt } from "./key-tree.ts";
import { loadStack } from "./load-stack.ts";

describe("key tree for completion", () => {
  test("top-level keys", () => {
    expect(keysAt([]).map((k) => k.key)).toEqual([
      "version",
      "name",
      "services",
      "networks",
      "volumes",
      "secrets",
      "configs",
    ]);
  });

  test("service keys carry type, description and whether swarm ignores them", () => {
    const keys = keysAt(["services", "web"]);
    expect(keys.find((k) => k.key === "image")).toEqual({
      key: "image",
      type: "string",
      description: "Image to run, e.g. nginx:1.27",
      ignored: false,
    });
    expect(keys.find((k) => k.key === "build")?.ignored).toBe(true);
    expect(keys.find((k) => k.key === "mem_limit")).toBeUndefined();
  });

  test("nested and list positions", () => {
    expect(keysAt(["services", "web", "deploy", "placement"]).map((k) => k.key)).toEqual([
      "constraints",
      "preferences",
      "max_replicas_per_node",
    ]);
    expect(keysAt(["services", "web", "ports", 0]).map((k) => k.key)).toEqual([
      "target",
      "published",
      "protocol",
      "mode",
      "name",
    ]);
    expect(keysAt(["services", "web", "nope"])).toEqual([]);
  });

  test("the tree is plain data (serialisable for the dashboard)", () => {
    expect(JSON.parse(JSON.stringify(COMPOSE_KEY_TREE))).toEqual(COMPOSE_KEY_TREE);
  });
});

describe("formatStackConfig", () => {
  test("prints the normalised stack and loads back to the same specs", () => {
    const text = `services:
  web:
    image: nginx
    command: nginx -g "daemon off;"
    ports: ["8080:80"]
    healthcheck: { test: "true", interval: 1m30s }
    deploy: { resources: { limits: { cpus: "0.5", memory: 512M } } }
`;
    const first = loadStack({ files: [{ name: "a.yml", text }], stackName: "s" });
    if (!first.ok) throw new Error("load failed");
    const printed = formatStackConfig(first);
    expect(printed).toContain('version: "3.9"');
    expect(printed).toContain("interval: 1m30s");
    expect(printed).toContain('cpus: "0.5"');
    const again = loadStack({ files: [{ name: "b.yml", text: printed }], stackName: "s" });
    expect(again.ok && again.services).toEqual(first.services);
  });
});
