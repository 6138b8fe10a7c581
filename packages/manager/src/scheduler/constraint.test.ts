import { makeNode } from "@shoal/store/testing";
import { describe, expect, it } from "vitest";
import { nodeMatches, parseConstraint } from "./constraint.ts";
import { parsePlacement } from "./placement.ts";
import { PlacementError } from "./placement-error.ts";

const n = {
  ...makeNode("n00000000000000000000000001", "web-1", "manager"),
  version: 1,
  createdAtMs: 0,
  updatedAtMs: 0,
};
n.spec = { ...n.spec, labels: { zone: "eu-1", Disk: "ssd" } };
n.description = {
  ...(n.description as NonNullable<typeof n.description>),
  engine: { version: "1", labels: { gpu: "yes" } },
};
n.status = { ...n.status, addr: "10.77.0.11" };

describe("constraints", () => {
  it.each([
    ["node.id == n00000000000000000000000001", true],
    ["node.id != n00000000000000000000000001", false],
    ["node.hostname == web-1", true],
    ["node.hostname==WEB-1", true],
    ["node.hostname != web-1", false],
    ["node.role == manager", true],
    ["node.role != worker", true],
    ["node.platform.os == linux", true],
    ["node.platform.arch == x86_64", true],
    ["node.platform.arch == aarch64", false],
    ["node.labels.zone == eu-1", true],
    ["node.labels.zone != eu-1", false],
    ["node.labels.Disk == ssd", true],
    ["node.labels.missing == x", false],
    ["node.labels.missing != x", true],
    ["engine.labels.gpu == yes", true],
    ["engine.labels.gpu != yes", false],
    ["node.ip == 10.77.0.11", true],
    ["node.ip == 10.77.0.0/16", true],
    ["node.ip != 10.78.0.0/16", true],
    ["node.ip == 10.78.0.0/16", false],
  ])("%s → %s", (text, expected) => {
    expect(nodeMatches(n, parseConstraint(text))).toBe(expected);
  });

  it.each([
    ["node.labels.zone = eu", 'expected "<key> == <value>" or "<key> != <value>"'],
    ["node.flavour == big", 'unknown key "node.flavour"'],
    ["node.labels. == x", 'a label name follows "node.labels."'],
    ["node.role == boss", 'node.role is "manager" or "worker"'],
    ["node.ip == 10.0.0.300", "is not an IPv4 address or CIDR"],
    ["node.labels.zone ==", "is not a valid value"],
    ["== a", "is not a valid key"],
  ])("refuses %j with a clear message", (text, message) => {
    expect(() => parseConstraint(text)).toThrow(PlacementError);
    expect(() => parseConstraint(text)).toThrow(message);
    expect(() => parseConstraint(text)).toThrow(`invalid constraint "${text}"`);
  });

  it("parses a whole placement for the control API, refusing bad spread preferences", () => {
    const p = parsePlacement({
      constraints: ["node.role==worker"],
      preferences: [{ spread: "node.labels.zone" }, { spread: "engine.labels.rack" }],
      maxReplicas: 2,
    });
    expect(p.spread.map((s) => [s.source, s.label])).toEqual([
      ["node.labels", "zone"],
      ["engine.labels", "rack"],
    ]);
    expect(() =>
      parsePlacement({ constraints: [], preferences: [{ spread: "node.hostname" }], maxReplicas: 0 }),
    ).toThrow(/invalid placement preference "spread=node.hostname"/);
  });
});
