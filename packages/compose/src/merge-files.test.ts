import { describe, expect, test } from "vitest";
import { loadStack } from "./load-stack.ts";

const base = `
version: "3.8"
services:
  web:
    image: nginx:1.25
    command: ["nginx", "-g", "daemon off;"]
    environment: { A: "1", B: "2" }
    labels: [tier=web]
    ports: ["80:80", "443:443"]
    volumes: ["data:/data", "./conf:/etc/conf:ro"]
    secrets: [s1]
    cap_add: [NET_ADMIN]
    logging: { driver: json-file, options: { max-size: 10m } }
    deploy:
      replicas: 2
      placement: { constraints: ["node.role == worker"] }
  db:
    image: postgres:16
volumes:
  data:
secrets:
  s1: { file: ./s1.txt }
  s2: { file: ./s2.txt }
`;

const override = `
services:
  web:
    image: nginx:1.27
    command: nginx-debug
    environment: { B: "20", C: "3" }
    labels: { tier: frontend }
    ports: ["443:443", "8080:8080"]
    volumes: ["./other:/etc/conf"]
    secrets: [{ source: s1, target: renamed }, s2]
    cap_add: [NET_ADMIN, SYS_TIME]
    logging: { options: { max-file: "3" } }
    deploy:
      replicas: 5
      placement: { constraints: ["node.labels.zone == a"] }
  cache:
    image: redis
`;

function loadBoth() {
  const result = loadStack({
    files: [
      { name: "stack.yml", text: base },
      { name: "stack.prod.yml", text: override },
    ],
    stackName: "shop",
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

describe("merging -c a.yml -c b.yml", () => {
  test("services from both files, sorted", () => {
    expect(loadBoth().services.map((s) => s.name)).toEqual(["shop_cache", "shop_db", "shop_web"]);
  });

  test("scalars and command: the later file wins", () => {
    const c = loadBoth().services[2]?.taskTemplate.containerSpec;
    expect(c?.image).toBe("nginx:1.27");
    expect(c?.args).toEqual(["nginx-debug"]);
  });

  test("environment and labels merge per key", () => {
    const c = loadBoth().services[2]?.taskTemplate.containerSpec;
    expect(c?.env).toEqual(["A=1", "B=20", "C=3"]);
    expect(c?.labels).toEqual({ tier: "frontend", "com.docker.stack.namespace": "shop" });
  });

  test("ports: union, duplicates once, by published port", () => {
    const ports = loadBoth().services[2]?.endpointSpec.ports.map((p) => p.publishedPort);
    expect(ports).toEqual([80, 443, 8080]);
  });

  test("volumes by target, secrets by source: the later file wins", () => {
    const c = loadBoth().services[2]?.taskTemplate.containerSpec;
    expect(c?.mounts.map((m) => [m.target, m.source, m.readOnly])).toEqual([
      ["/data", "shop_data", false],
      ["/etc/conf", "./other", false],
    ]);
    expect(c?.secrets.map((s) => [s.secretName, s.file.name])).toEqual([
      ["shop_s1", "renamed"],
      ["shop_s2", "s2"],
    ]);
  });

  test("other lists append without duplicates; logging options merge under one driver", () => {
    const web = loadBoth().services[2];
    expect(web?.composeExtensions.capAdd).toEqual(["NET_ADMIN", "SYS_TIME"]);
    expect(web?.composeExtensions.logging).toEqual({
      driver: "json-file",
      options: { "max-size": "10m", "max-file": "3" },
    });
    expect(web?.taskTemplate.placement.constraints).toEqual(["node.role == worker", "node.labels.zone == a"]);
    expect(web?.mode).toEqual({ replicated: { replicas: 5 } });
  });

  test("a different logging driver replaces the whole logging section", () => {
    const result = loadStack({
      files: [
        {
          name: "a.yml",
          text: "services:\n  s:\n    image: x\n    logging: {driver: json-file, options: {a: '1'}}\n",
        },
        { name: "b.yml", text: "services:\n  s:\n    logging: {driver: syslog}\n" },
      ],
      stackName: "t",
    });
    expect(result.ok && result.services[0]?.composeExtensions.logging).toEqual({
      driver: "syslog",
      options: {},
    });
  });

  test("errors name the file they are in", () => {
    const result = loadStack({
      files: [
        { name: "a.yml", text: "services:\n  s:\n    image: x\n" },
        { name: "b.yml", text: "services:\n  s:\n    deploy: {replicas: many}\n" },
      ],
      stackName: "t",
    });
    expect(!result.ok && result.errors[0]).toMatchObject({
      file: "b.yml",
      line: 3,
      path: "services.s.deploy.replicas",
    });
  });

  test("an undefined reference points at the file that made it", () => {
    const result = loadStack({
      files: [
        { name: "a.yml", text: "services:\n  s:\n    image: x\n" },
        { name: "b.yml", text: "services:\n  s:\n    secrets: [nope]\n" },
      ],
      stackName: "t",
    });
    expect(!result.ok && result.errors[0]).toMatchObject({ file: "b.yml", line: 3, column: 15 });
  });
});
