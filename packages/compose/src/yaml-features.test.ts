import { describe, expect, test } from "vitest";
import { loadStack } from "./load-stack.ts";
import { parseLocatedYaml } from "./located-yaml.ts";

function load(text: string, env: Record<string, string> = {}) {
  return loadStack({ files: [{ name: "stack.yml", text }], stackName: "app", env });
}

describe("anchors, aliases, merge keys and extensions", () => {
  test("an x- anchor merged into services; explicit keys win over merged ones", () => {
    const result = load(`
x-base: &base
  image: shop/base
  environment: { LOG: info }
  deploy: { replicas: 2 }
services:
  a:
    <<: *base
  b:
    <<: *base
    image: shop/b
`);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [a, b] = result.services;
    expect(a?.taskTemplate.containerSpec.image).toBe("shop/base");
    expect(b?.taskTemplate.containerSpec.image).toBe("shop/b");
    expect(b?.taskTemplate.containerSpec.env).toEqual(["LOG=info"]);
    expect(b?.mode).toEqual({ replicated: { replicas: 2 } });
  });

  test("a list of merge sources: earlier sources win", () => {
    const result = load(`
x-one: &one { image: one, hostname: first }
x-two: &two { image: two, user: nobody }
services:
  s:
    <<: [*one, *two]
`);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const c = result.services[0]?.taskTemplate.containerSpec;
    expect([c?.image, c?.hostname, c?.user]).toEqual(["one", "first", "nobody"]);
  });

  test("an alias keeps the anchored node's position in errors", () => {
    const result = load("x-r: &r three\nservices:\n  s:\n    image: x\n    deploy:\n      replicas: *r\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 1, column: 9, path: "services.s.deploy.replicas" });
  });

  test("x- keys are allowed at the top, in services and nested settings", () => {
    const result = load(
      "x-top: 1\nservices:\n  s:\n    image: x\n    x-svc: 2\n    deploy:\n      x-deep: 3\n",
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings).toEqual([]);
  });

  test("a merge key must bring a mapping", () => {
    const result = load("services:\n  s:\n    <<: [1]\n    image: x\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toBe("a merge key (<<) takes a mapping or a list of mappings");
    expect(result.errors[0]).toMatchObject({ line: 3, column: 5 });
  });

  test("a quoted << is an ordinary (unknown) key", () => {
    const result = load("services:\n  s:\n    '<<': {image: x}\n    image: x\n");
    expect(!result.ok && result.errors[0]?.message).toBe('unknown key "<<"');
  });

  test("YAML 1.1 octal file modes (0440) are read as octal, as docker does", () => {
    const result = load(
      "services:\n  s:\n    image: x\n    secrets: [{source: k, mode: 0440}]\nsecrets:\n  k: {file: ./k}\n",
    );
    expect(result.ok && result.services[0]?.taskTemplate.containerSpec.secrets[0]?.file.mode).toBe(0o440);
  });

  test("an alias inside its own anchor is refused", () => {
    const parsed = parseLocatedYaml("s.yml", "a: &a\n  b: *a\n");
    expect(parsed.ok).toBe(false);
  });

  test("an empty file is an empty stack", () => {
    const result = load("");
    expect(result.ok && result.services).toEqual([]);
  });
});
