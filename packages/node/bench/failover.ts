/**
 * `npm run bench:failover [-- --json]`: timings of a swarm of real node processes on loopback
 * sharing the machine's dockerd (DOCKER_HOST). Three managers and two workers; each step is
 * timed from the action to the state the user waits for:
 *   manager_join_s        swarm join with the manager token → the call returns (a Raft learner)
 *   create_20_running_s   service create, 20 replicas → 20 tasks RUNNING
 *   scale_20_40_s         scale to 40 → 40 tasks RUNNING
 *   restart_replaced_s    a task's container killed → its replacement RUNNING (restart delay 1 s)
 *   leader_failover_s     the leader killed (SIGKILL) → a survivor accepts a write
 *   node_loss_replaced_s  the same kill → the lost node's tasks RUNNING elsewhere
 *   spurious_elections    elections before the kill besides the first one (should be 0: none
 *                         under the load of creating and scaling)
 * The last line of output is one JSON object with those keys. Containers carry a run label and
 * are removed at the end with every process, also after a failure. `--profile` also prints, for
 * create and scale, where each task's time went (task-timeline.ts).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TaskState } from "@shoal/store";
import { DaemonProcess, eventually } from "../test/daemon-process.ts";
import { removeRunContainers, sleeperContainer, taskContainers } from "../test/task-containers.ts";
import { taskTimeline } from "./task-timeline.ts";

const run = promisify(execFile);
const RUN_ID = `bench-${randomBytes(3).toString("hex")}`;
const RESTART_DELAY_MS = 1_000;
const POLL_MS = 20;
const json = process.argv.includes("--json");
const profile = process.argv.includes("--profile");

interface TaskRow {
  id: string;
  slot: number;
  nodeId?: string;
  desiredState: number;
  createdAtMs: number;
  updatedAtMs: number;
  status: { state: number; timestampMs: number; containerId?: string };
}

function log(line: string): void {
  if (!json) process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}

async function timed(what: string, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1_000;
  log(`${what}: ${seconds.toFixed(3)} s`);
  return Number(seconds.toFixed(3));
}

/** With --profile: where the time of the tasks created since `sinceMs` went. */
async function profileTasks(tasks: TaskRow[], sinceMs: number): Promise<void> {
  if (!profile) return;
  const observedMs = Date.now();
  const fresh = tasks.filter((t) => t.createdAtMs >= sinceMs);
  for (const line of await taskTimeline(fresh, RUN_ID, sinceMs, observedMs)) log(line);
}

async function runningTasks(via: DaemonProcess): Promise<TaskRow[]> {
  const tasks = await via.control<TaskRow[]>("task.list", { filters: { service: "bench" } });
  return tasks.filter((t) => t.desiredState === TaskState.Running && t.status.state === TaskState.Running);
}

async function untilRunning(
  via: () => Promise<DaemonProcess>,
  count: number,
  accept: (tasks: TaskRow[]) => boolean = () => true,
): Promise<TaskRow[]> {
  return eventually(
    async () => {
      const tasks = await runningTasks(await via());
      return tasks.length === count && accept(tasks) ? tasks : undefined;
    },
    `${count} running tasks`,
    60_000,
    POLL_MS,
  );
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "shoal-bench-failover-"));
  const daemons: DaemonProcess[] = [];
  const cleanup = async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await removeRunContainers(RUN_ID);
    await rm(root, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  try {
    const names = ["m1", "m2", "m3", "w1", "w2"];
    daemons.push(...(await Promise.all(names.map((n) => DaemonProcess.start(root, n)))));
    const [m1, m2, m3, w1, w2] = daemons as [
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
      DaemonProcess,
    ];
    const managers = [m1, m2, m3];
    await m1.call("swarm/init", { advertiseAddr: m1.addr });
    const token = async (role: string) =>
      (await m1.control<{ token: string }>("swarm.joinToken", { role })).token;
    const managerToken = await token("manager");
    const workerToken = await token("worker");

    const join = (d: DaemonProcess, t: string) =>
      d.call("swarm/join", { token: t, remoteAddr: m1.addr, advertiseAddr: d.addr });
    const manager_join_s = await timed("manager join (m2)", () => join(m2, managerToken));
    await timed("manager join (m3)", () => join(m3, managerToken));
    await Promise.all([join(w1, workerToken), join(w2, workerToken)]);
    await eventually(async () => {
      const nodes = await m1.control<{ status: { state: string } }[]>("node.list", {});
      return nodes.length === 5 && nodes.every((n) => n.status.state === "ready");
    }, "5 ready nodes");
    // The leader, asked again only when the one found last stops leading or answering.
    let knownLeader: DaemonProcess | undefined;
    const leader = () =>
      eventually(async () => {
        if (knownLeader && (await knownLeader.info().catch(() => undefined))?.isLeader) return knownLeader;
        knownLeader = undefined;
        for (const m of managers) if ((await m.info().catch(() => undefined))?.isLeader) knownLeader = m;
        return knownLeader;
      }, "a leader");

    const spec = {
      name: "bench",
      mode: { replicated: { replicas: 20 } },
      taskTemplate: {
        containerSpec: sleeperContainer(RUN_ID),
        restartPolicy: { delayMs: RESTART_DELAY_MS },
      },
    };
    let sinceMs = Date.now();
    let tasks: TaskRow[] = [];
    const create_20_running_s = await timed("create 20 replicas → running", async () => {
      await m1.control("service.create", { spec });
      tasks = await untilRunning(leader, 20);
    });
    await profileTasks(tasks, sinceMs);
    sinceMs = Date.now();
    const scale_20_40_s = await timed("scale 20 → 40 running", async () => {
      await m1.control("service.scale", { service: "bench", replicas: 40 });
      tasks = await untilRunning(leader, 40);
    });
    await profileTasks(tasks, sinceMs);

    const before = await runningTasks(m1);
    const victim = before.find((t) => t.status.containerId)!;
    const restart_replaced_s = await timed(
      `container killed → replaced (restart delay ${RESTART_DELAY_MS / 1_000} s)`,
      async () => {
        sinceMs = Date.now();
        await run("docker", ["kill", victim.status.containerId!]);
        tasks = await untilRunning(leader, 40, (tasks) =>
          tasks.some((t) => t.slot === victim.slot && t.id !== victim.id),
        );
      },
    );
    await profileTasks(tasks, sinceMs);

    // Every election until now is spurious: m1 was elected once at init and nothing failed.
    const terms = new Set(
      managers.flatMap((m) =>
        m.output
          .split("\n")
          .filter((line) => line.includes('"msg":"became leader"'))
          .map((line) => /"term":(\d+)/.exec(line)?.[1]),
      ),
    );
    const spurious_elections = terms.size - 1;
    log(`elections before the leader was killed, besides the first: ${spurious_elections}`);
    const old = await leader();
    const oldId = (await old.info()).nodeId;
    const survivors = managers.filter((m) => m !== old);
    const killedAt = performance.now();
    await old.kill();
    const newLeader = await eventually(
      async () => {
        for (const m of survivors) if ((await m.info().catch(() => undefined))?.isLeader) return m;
        return undefined;
      },
      "a new leader",
      30_000,
      POLL_MS,
    );
    await eventually(
      async () => {
        await newLeader.control("node.update", { node: oldId, labelAdd: { "bench.failover": "1" } });
        return true;
      },
      "a write on the new leader",
      30_000,
      POLL_MS,
    );
    const leader_failover_s = Number(((performance.now() - killedAt) / 1_000).toFixed(3));
    log(`leader killed → new leader accepts a write: ${leader_failover_s.toFixed(3)} s`);
    await eventually(
      async () => {
        const nodes = await newLeader.control<{ id: string; status: { state: string } }[]>("node.list", {});
        return nodes.find((n) => n.id === oldId)?.status.state === "down";
      },
      "the old leader's node DOWN",
      30_000,
      POLL_MS,
    );
    log(`leader's node DOWN after ${((performance.now() - killedAt) / 1_000).toFixed(3)} s`);
    await untilRunning(
      async () => newLeader,
      40,
      (tasks) => tasks.every((t) => t.nodeId !== oldId),
    );
    const node_loss_replaced_s = Number(((performance.now() - killedAt) / 1_000).toFixed(3));
    log(`leader's node lost → its tasks running elsewhere: ${node_loss_replaced_s.toFixed(3)} s`);
    log(`containers of this run: ${(await taskContainers(RUN_ID)).length}`);
    if (process.argv.includes("--verbose")) {
      for (const line of newLeader.output.split("\n")) if (/leader|down/i.test(line)) log(`  ${line}`);
    }

    process.stdout.write(
      `${JSON.stringify({
        manager_join_s,
        create_20_running_s,
        scale_20_40_s,
        restart_replaced_s,
        leader_failover_s,
        node_loss_replaced_s,
        spurious_elections,
      })}\n`,
    );
  } finally {
    await cleanup();
  }
}

await main();
