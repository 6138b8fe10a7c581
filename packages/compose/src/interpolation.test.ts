import { describe, expect, test } from "vitest";
import { interpolate } from "./interpolation.ts";
import { loadStack } from "./load-stack.ts";

const env = { TAG: "1.27", EMPTY: "", HOST: "db" };

describe("interpolate", () => {
  test.each([
    ["plain text", "plain text"],
    ["$TAG", "1.27"],
    ["${TAG}", "1.27"],
    ["nginx:${TAG}-alpine", "nginx:1.27-alpine"],
    ["${MISSING}", ""],
    ["${MISSING:-fallback}", "fallback"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${EMPTY-fallback}", ""],
    ["${MISSING-fallback}", "fallback"],
    ["${TAG:-fallback}", "1.27"],
    ["${MISSING:-${HOST}:5432}", "db:5432"],
    ["${TAG:+set}", "set"],
    ["${EMPTY:+set}", ""],
    ["${EMPTY+set}", "set"],
    ["${TAG?required}", "1.27"],
    ["$$", "$"],
    ["$${TAG}", "${TAG}"],
    ["price: $$5 and $$$TAG", "price: $5 and $1.27"],
  ])("%s → %s", (text, expected) => {
    expect(interpolate(text, env)).toEqual({ ok: true, value: expected });
  });

  test.each([
    ["${MISSING?set MISSING first}", "required variable MISSING is missing a value: set MISSING first"],
    ["${MISSING:?}", "required variable MISSING is missing a value: MISSING is not set"],
    ["${EMPTY:?must not be empty}", "required variable EMPTY is missing a value: must not be empty"],
    ["${TAG", 'invalid interpolation format in "${TAG": unclosed "${"'],
    ["${}", 'invalid interpolation format: "${}"'],
    ["${9LIVES}", 'invalid interpolation format: "${9LIVES}"'],
    ["cost $ 5", 'invalid interpolation format in "cost $ 5": use "$$" for a literal "$"'],
    ["trailing $", 'invalid interpolation format in "trailing $": use "$$" for a literal "$"'],
  ])("%s fails", (text, message) => {
    expect(interpolate(text, env)).toEqual({ ok: false, message });
  });

  test("${EMPTY?x} accepts a set-but-empty variable", () => {
    expect(interpolate("${EMPTY?x}", env)).toEqual({ ok: true, value: "" });
  });
});

describe("interpolation in a stack file", () => {
  test("interpolated numbers and booleans take the type their key needs", () => {
    const text = "services:\n  web:\n    image: x\n    init: ${INIT}\n    deploy:\n      replicas: ${N:-2}\n";
    const result = loadStack({ files: [{ name: "s.yml", text }], stackName: "a", env: { INIT: "true" } });
    expect(result.ok && result.services[0]?.mode).toEqual({ replicated: { replicas: 2 } });
    expect(result.ok && result.services[0]?.composeExtensions.init).toBe(true);
  });

  test("a required variable that is missing is an error at its value", () => {
    const text = "services:\n  web:\n    image: nginx:${TAG?TAG is the release to deploy}\n";
    const result = loadStack({ files: [{ name: "s.yml", text }], stackName: "a", env: {} });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toMatchObject([
      {
        file: "s.yml",
        line: 3,
        column: 12,
        path: "services.web.image",
        code: "interpolation",
        message: "required variable TAG is missing a value: TAG is the release to deploy",
      },
    ]);
  });

  test("keys and x- extensions are not interpolated", () => {
    const text = "x-note: ${NOT_CHECKED?}\nservices:\n  web:\n    image: x\n    labels:\n      $KEY: v\n";
    const result = loadStack({ files: [{ name: "s.yml", text }], stackName: "a", env: {} });
    expect(result.ok && result.services[0]?.taskTemplate.containerSpec.labels.$KEY).toBe("v");
  });
});
