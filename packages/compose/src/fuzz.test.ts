import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { loadStack } from "./load-stack.ts";

/**
 * Property: loading never throws, and every rejection carries a position and a message. Seeds
 * are printed by fast-check on failure; rerun with `seed` to replay.
 */
const VALID = `version: "3.8"
x-base: &base
  environment: { A: "1" }
services:
  web:
    <<: *base
    image: "nginx:\${TAG:-1}"
    ports: ["8080:80", { target: 443, published: 8443 }]
    volumes: ["data:/data", "./c:/c:ro"]
    secrets: [s]
    healthcheck: { test: "true", interval: 10s }
    deploy:
      replicas: 2
      resources: { limits: { cpus: "0.5", memory: 64M } }
      update_config: { parallelism: 1, delay: 5s }
networks:
  front: {}
volumes:
  data: {}
secrets:
  s: { file: ./s.txt }
`;

const fragments = [
  "services:",
  "  web:",
  "    image: x",
  "    deploy:",
  "      replicas: 3",
  "ports:",
  "  - 80:80",
  "&a",
  "*a",
  "<<: *a",
  "${X}",
  "${X?e}",
  "$$",
  "- ",
  ": ",
  "{",
  "}",
  "[",
  "]",
  "'",
  '"',
  "\n",
  "  ",
  "\t",
  "#",
  "---",
  "!!str",
  "? ",
  "|",
  ">",
  "0440",
  "1m30s",
  "x-y:",
  "null",
  "~",
  "true",
];

function checkNeverThrows(text: string): void {
  const result = loadStack({ files: [{ name: "f.yml", text }], stackName: "s", env: { X: "1" } });
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.file).toBe("f.yml");
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe("fuzzing the loader", () => {
  test("random YAML-ish text", () => {
    const yamlish = fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 })), checkNeverThrows), {
      numRuns: 400,
    });
  });

  test("mutated valid files", () => {
    const mutation = fc.record({
      at: fc.nat(VALID.length),
      remove: fc.nat(8),
      insert: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })),
    });
    const mutated = fc
      .array(mutation, { minLength: 1, maxLength: 4 })
      .map((ms) =>
        ms.reduce((text, m) => text.slice(0, m.at) + m.insert + text.slice(m.at + m.remove), VALID),
      );
    fc.assert(fc.property(mutated, checkNeverThrows), { numRuns: 400 });
  });

  test("random JSON values as stack files", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => checkNeverThrows(JSON.stringify(value))),
      { numRuns: 300 },
    );
  });

  test("the valid file itself loads", () => {
    expect(loadStack({ files: [{ name: "f.yml", text: VALID }], stackName: "s" }).ok).toBe(true);
  });
});
