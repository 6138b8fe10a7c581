/**
 * Where the time goes between "service create/scale" and "all tasks RUNNING", per task, from
 * timestamps the swarm and the engine keep (one machine, one clock): the task object created
 * (orchestrator) → its container created (engine) → started (engine) → RUNNING as the agent saw
 * it (status timestamp) → RUNNING in the store (the task's last update). Printed as the median
 * and the slowest task of each, in seconds after the action.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { RUN_LABEL } from "../test/task-containers.ts";

const run = promisify(execFile);

export interface TimelineTask {
  readonly id: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly status: { readonly timestampMs: number; readonly containerId?: string };
}

interface Phase {
  readonly name: string;
  readonly atMs: (task: TimelineTask, container: ContainerTimes | undefined) => number | undefined;
}

interface ContainerTimes {
  readonly createdMs: number;
  readonly startedMs: number;
}

const PHASES: Phase[] = [
  { name: "task created", atMs: (t) => t.createdAtMs },
  { name: "container created", atMs: (_t, c) => c?.createdMs },
  { name: "container started", atMs: (_t, c) => c?.startedMs },
  { name: "agent saw RUNNING", atMs: (t) => t.status.timestampMs },
  { name: "RUNNING in the store", atMs: (t) => t.updatedAtMs },
];

async function containerTimes(runId: string): Promise<Map<string, ContainerTimes>> {
  const { stdout: ids } = await run("docker", [
    "ps",
    "-aq",
    "--no-trunc",
    "--filter",
    `label=${RUN_LABEL}=${runId}`,
  ]);
  const list = ids.split("\n").filter((id) => id !== "");
  const times = new Map<string, ContainerTimes>();
  if (list.length === 0) return times;
  const { stdout } = await run("docker", [
    "inspect",
    "--format",
    "{{.Id}} {{.Created}} {{.State.StartedAt}}",
    ...list,
  ]);
  for (const line of stdout.split("\n")) {
    const [id, created, started] = line.split(" ");
    if (!id || !created || !started) continue;
    times.set(id, { createdMs: Date.parse(created), startedMs: Date.parse(started) });
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One line per phase: "phase: median X s, slowest Y s" after `sinceMs` (epoch ms). */
export async function taskTimeline(
  tasks: readonly TimelineTask[],
  runId: string,
  sinceMs: number,
  observedMs: number,
): Promise<string[]> {
  const containers = await containerTimes(runId);
  const lines = PHASES.map((phase) => {
    const offsets = tasks
      .map((t) => phase.atMs(t, t.status.containerId ? containers.get(t.status.containerId) : undefined))
      .filter((at): at is number => at !== undefined && Number.isFinite(at))
      .map((at) => (at - sinceMs) / 1_000);
    if (offsets.length === 0) return `  ${phase.name}: no data`;
    return `  ${phase.name}: median ${median(offsets).toFixed(3)} s, slowest ${Math.max(...offsets).toFixed(3)} s`;
  });
  lines.push(`  observed by the client: ${((observedMs - sinceMs) / 1_000).toFixed(3)} s`);
  return lines;
}
