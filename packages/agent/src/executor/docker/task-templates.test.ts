import { describe, expect, it } from "vitest";
import { isAgentError } from "../../errors.ts";
import { expandEnv, expandTemplate, type TemplateContext } from "./task-templates.ts";

const context: TemplateContext = {
  service: { id: "svc1", name: "web" },
  node: { id: "node1", hostname: "host-a" },
  task: { id: "task1", name: "web.3.task1", slot: 3 },
};

describe("task templates", () => {
  it.each([
    ["{{.Service.ID}}", "svc1"],
    ["{{.Service.Name}}", "web"],
    ["{{.Node.ID}}", "node1"],
    ["{{ .Node.Hostname }}", "host-a"],
    ["{{.Task.ID}}", "task1"],
    ["{{.Task.Name}}", "web.3.task1"],
    ["{{.Task.Slot}}", "3"],
    ["{{.Service.Name}}-{{.Task.Slot}}.local", "web-3.local"],
    ["plain", "plain"],
  ])("%s → %s", (template, expected) => {
    expect(expandTemplate(template, context, "test")).toBe(expected);
  });

  it("expands only the value of an env entry", () => {
    expect(expandEnv(["SLOT={{.Task.Slot}}", "X", "A=b=c"], context)).toEqual(["SLOT=3", "X", "A=b=c"]);
  });

  it("rejects fields swarm does not offer, naming where", () => {
    try {
      expandTemplate("{{.Task.Secret}}", context, "hostname");
      expect.unreachable();
    } catch (err) {
      expect(isAgentError(err, "INVALID_TEMPLATE")).toBe(true);
      expect((err as Error).message).toContain("hostname: unknown template {{.Task.Secret}}");
    }
  });
});
