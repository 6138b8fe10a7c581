import { describe, expect, test } from "vitest";
import { STACK_FILE_BYTES_MAX } from "./limits.ts";
import { loadStack } from "./load-stack.ts";

/** Hostile or huge inputs finish quickly with a clear error or a result. */
const QUICK_MS = 5_000;
/**
 * A real 1 MB file is dominated by the YAML library's parser (about 2 µs a byte on a slow CI
 * machine): bounded, not instant.
 */
const ONE_MB_MS = 20_000;

function load(text: string) {
  const started = performance.now();
  const result = loadStack({ files: [{ name: "big.yml", text }], stackName: "s" });
  return { result, elapsedMs: performance.now() - started };
}

describe("limits", () => {
  test("a billion-laughs YAML bomb is refused with a position", () => {
    let text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) {
      const refs = Array.from({ length: 9 }, () => `*a${i - 1}`).join(",");
      text += `a${i}: &a${i} [${refs}]\n`;
    }
    text += "services:\n  s:\n    image: x\n    command: *a9\n";
    const { result, elapsedMs } = load(text);
    expect(elapsedMs).toBeLessThan(QUICK_MS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.code).toBe("yaml-limit");
    expect(result.errors[0]?.message).toMatch(/more than \d+ (nodes|aliases)/);
    expect(result.errors[0]?.line).toBeGreaterThan(0);
  });

  test("a 1 MB stack file with many services loads", { timeout: 60_000 }, () => {
    const services: string[] = [];
    let i = 0;
    let text = "services:\n";
    while (text.length < 1024 * 1024) {
      const s = `  svc${i}:\n    image: shop/svc:${i}\n    environment: [A=1, B=2]\n    ports: ["${10000 + (i % 50000)}:80"]\n    deploy: { replicas: 2, labels: { team: t${i} } }\n`;
      text += s;
      services.push(`svc${i}`);
      i++;
    }
    const { result, elapsedMs } = load(text);
    expect(elapsedMs).toBeLessThan(ONE_MB_MS);
    expect(result.ok && result.services.length).toBe(services.length);
  });

  test("a file over the size limit is refused before parsing", () => {
    const { result, elapsedMs } = load(`# ${"x".repeat(STACK_FILE_BYTES_MAX)}`);
    expect(elapsedMs).toBeLessThan(QUICK_MS);
    expect(!result.ok && result.errors[0]).toMatchObject({ code: "too-large", line: 1, column: 1 });
  });

  test("deep nesting is refused, not a stack overflow", () => {
    const { result, elapsedMs } = load(`x-deep: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    expect(elapsedMs).toBeLessThan(QUICK_MS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(["yaml-limit", "yaml-syntax"]).toContain(result.errors[0]?.code);
  });

  test("a huge port range is refused", () => {
    const { result } = load('services:\n  s:\n    image: x\n    ports: ["1-65535"]\n');
    expect(!result.ok && result.errors[0]?.path).toBe("services.s.ports[0]");
  });
});
