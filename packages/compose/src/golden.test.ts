import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "./diagnostic.ts";
import { formatStackConfig } from "./format-stack-config.ts";
import { loadStack } from "./load-stack.ts";

/**
 * Golden tests: each `valid/NAME.yml` loads (stack "shop", variables from NAME.env.json) into
 * NAME.expected.json (the specs) and NAME.config.yml (`stack config` output); each
 * `errors/NAME.yml` fails with exactly the diagnostics in NAME.expected.txt, one
 * `file:line:column: path: message` a line. Run with UPDATE_GOLDEN=1 to rewrite them, then review
 * the diff.
 */
const FIXTURES = join(import.meta.dirname, "..", "test-fixtures");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function fixtures(dir: string): string[] {
  return readdirSync(join(FIXTURES, dir))
    .filter((f) => f.endsWith(".yml") && !f.endsWith(".config.yml"))
    .map((f) => f.slice(0, -4));
}

function load(dir: string, name: string) {
  const envPath = join(FIXTURES, dir, `${name}.env.json`);
  const env = existsSync(envPath) ? JSON.parse(readFileSync(envPath, "utf8")) : {};
  const text = readFileSync(join(FIXTURES, dir, `${name}.yml`), "utf8");
  return loadStack({ files: [{ name: `${name}.yml`, text }], stackName: "shop", env });
}

function golden(path: string, actual: string): void {
  if (UPDATE || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("valid stack files", () => {
  test.each(fixtures("valid"))("%s", (name) => {
    const result = load("valid", name);
    if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join("\n"));
    const { config: _, ok: __, ...specs } = result;
    golden(join(FIXTURES, "valid", `${name}.expected.json`), `${JSON.stringify(specs, null, 2)}\n`);
    const printed = formatStackConfig(result);
    golden(join(FIXTURES, "valid", `${name}.config.yml`), printed);
    const again = loadStack({ files: [{ name: `${name}.yml`, text: printed }], stackName: "shop" });
    expect(again.ok && again.services).toEqual(result.services);
  });
});

describe("invalid stack files", () => {
  test.each(fixtures("errors"))("%s", (name) => {
    const result = load("errors", name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const e of result.errors) {
      expect(e.line).toBeGreaterThan(0);
      expect(e.column).toBeGreaterThan(0);
      expect(e.message).not.toBe("");
    }
    golden(
      join(FIXTURES, "errors", `${name}.expected.txt`),
      `${result.errors.map(formatDiagnostic).join("\n")}\n`,
    );
  });
});
