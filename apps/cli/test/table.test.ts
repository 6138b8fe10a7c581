import { TaskState } from "@shoal/store";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { NodeView, ServiceView, TaskView } from "../src/api-types.ts";
import { describeError } from "../src/handle-error.ts";
import { humanDuration } from "../src/output/human-duration.ts";
import { NODE_HEADER, nodeRow } from "../src/output/node-rows.ts";
import { SERVICE_HEADER, serviceCounts, serviceRow } from "../src/output/service-rows.ts";
import { formatTable } from "../src/output/table.ts";
import { progressLines } from "../src/progress/progress-renderer.ts";

const ID = "abcdefghijklmnopqrstuvwxy";

describe("formatTable", () => {
  it("pads like docker's tabwriter (min width 10, padding 3, last column free)", () => {
    const text = formatTable(["ID", "NAME", "MODE"], [["1", "a-long-service-name", "replicated"]]);
    expect(text.split("\n")).toEqual([
      "ID        NAME                  MODE",
      "1         a-long-service-name   replicated",
    ]);
  });
});

describe("service rows", () => {
  const service = {
    id: ID,
    spec: {
      name: "web",
      mode: { replicated: { replicas: 3 } },
      taskTemplate: { containerSpec: { image: "nginx:1.27" }, placement: { maxReplicas: 0 } },
      endpointSpec: { mode: "vip", ports: [] },
    },
    endpoint: { ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" }] },
  } as unknown as ServiceView;
  const task = (state: TaskState, desired = TaskState.Running) =>
    ({ serviceId: ID, desiredState: desired, status: { state } }) as unknown as TaskView;

  it("ID NAME MODE REPLICAS IMAGE PORTS with running/desired", () => {
    const tasks = [
      task(TaskState.Running),
      task(TaskState.Running),
      task(TaskState.Starting),
      task(TaskState.Running, TaskState.Shutdown),
    ];
    expect(SERVICE_HEADER).toEqual(["ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"]);
    expect(serviceRow(service, serviceCounts(service, tasks))).toEqual([
      "abcdefghijkl",
      "web",
      "replicated",
      "2/3",
      "nginx:1.27",
      "*:8080->80/tcp",
    ]);
  });
});

describe("node rows", () => {
  it("marks the node serving the API and the leader", () => {
    const node = {
      id: ID,
      spec: { availability: "active" },
      status: { state: "ready" },
      managerStatus: { leader: true, reachability: "reachable" },
      description: { hostname: "h1", engine: { version: "20.10" } },
    } as unknown as NodeView;
    expect(NODE_HEADER).toEqual([
      "ID",
      "HOSTNAME",
      "STATUS",
      "AVAILABILITY",
      "MANAGER STATUS",
      "ENGINE VERSION",
    ]);
    expect(nodeRow(node, ID)).toEqual([`${ID} *`, "h1", "Ready", "Active", "Leader", "20.10"]);
  });
});

describe("human durations", () => {
  it.each([
    [500, "Less than a second"],
    [1_000, "1 second"],
    [45_000, "45 seconds"],
    [60_000, "About a minute"],
    [300_000, "5 minutes"],
    [3_600_000, "About an hour"],
    [5 * 86_400_000, "5 days"],
  ])("%d ms", (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe("progress lines", () => {
  it("reads like docker's", () => {
    const lines = progressLines(
      {
        state: "progress",
        running: 1,
        desired: 2,
        reason: "",
        slots: [
          { label: "1/2", state: "running", fraction: 1, note: "", done: true },
          { label: "2/2", state: "preparing", fraction: 4 / 7, note: "", done: false },
        ],
      },
      undefined,
    );
    expect(lines[0]).toBe("overall progress: 1 out of 2 tasks");
    expect(lines[1]).toBe(`1/2: running    [${"=".repeat(49)}>]`);
    expect(lines[2]).toMatch(/^2\/2: preparing {2}\[=+> +\]$/);
  });
});

describe("errors", () => {
  it("prints the server's code and message, and tells an unauthenticated user to log in", () => {
    const error = new TRPCClientError("log in first", {
      result: { error: { code: -32001, message: "log in first", data: { shoalCode: "unauthenticated" } } },
    } as never);
    const printed = describeError(error, "http://127.0.0.1:8080");
    expect(printed.exitCode).toBe(1);
    expect(printed.text).toContain("Error (unauthenticated): log in first");
    expect(printed.text).toContain("shoal -H http://127.0.0.1:8080 login");
  });
});
