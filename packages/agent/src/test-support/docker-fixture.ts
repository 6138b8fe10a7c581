import { randomBytes } from "node:crypto";
import { createIdGenerator, type PortConfig, type Task, TaskState } from "@shoal/store";
import { makeTaskSpec } from "@shoal/store/testing";
import type Dockerode from "dockerode";
import { Agent } from "../agent.ts";
import type { AgentLimits } from "../agent-limits.ts";
import { connectEngine, engineAddressFromEnv } from "../executor/docker/engine-connection.ts";
import type { TaskAssignment } from "../session-interface.ts";
import type { FakeSession } from "./fake-session.ts";

export const TEST_IMAGE = "shoal-test/busybox:1";
/** Every container a test run makes carries this label, so afterAll can remove them all. */
export const RUN_LABEL = "com.shoal.test.run";
export const RUN_ID = randomBytes(4).toString("hex");
export const newId = createIdGenerator((n) => new Uint8Array(randomBytes(n)));

export const ENGINE_ADDRESS = engineAddressFromEnv();
export const docker: Dockerode = connectEngine(ENGINE_ADDRESS);

export type EngineProbe = { ok: true } | { ok: false; reason: string };

/** Whether DOCKER_HOST answers with the test image present; the docker tests skip (saying why) if not. */
export async function probeEngine(): Promise<EngineProbe> {
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref()),
    ]);
  } catch (err) {
    return { ok: false, reason: `no Docker Engine answers at ${ENGINE_ADDRESS} (${(err as Error).message})` };
  }
  try {
    await docker.getImage(TEST_IMAGE).inspect();
  } catch {
    return { ok: false, reason: `${TEST_IMAGE} is missing: run scripts/ci/build-test-images.sh` };
  }
  return { ok: true };
}

export interface TaskOptions {
  serviceName?: string;
  slot?: number;
  args?: string[];
  image?: string;
  env?: string[];
  hostname?: string;
  mounts?: Task["spec"]["containerSpec"]["mounts"];
  healthcheck?: Task["spec"]["containerSpec"]["healthcheck"];
  stopGracePeriodMs?: number;
  ports?: PortConfig[];
  serviceLabels?: Record<string, string>;
  secrets?: Task["spec"]["containerSpec"]["secrets"];
  configs?: Task["spec"]["containerSpec"]["configs"];
}

export const NODE_ID = newId();

/** A task assigned to this node, desired RUNNING, as the dispatcher would send it. */
export function makeAssignment(options: TaskOptions = {}): TaskAssignment {
  const spec = makeTaskSpec(options.image ?? TEST_IMAGE);
  spec.containerSpec = {
    ...spec.containerSpec,
    args: options.args ?? ["sleep", "60"],
    env: options.env ?? [],
    hostname: options.hostname ?? "",
    labels: { [RUN_LABEL]: RUN_ID },
    mounts: options.mounts ?? [],
    secrets: options.secrets ?? [],
    configs: options.configs ?? [],
    stopGracePeriodMs: options.stopGracePeriodMs ?? 1_000,
    ...(options.healthcheck ? { healthcheck: options.healthcheck } : {}),
  };
  const serviceId = newId();
  const task: Task = {
    id: newId(),
    version: 1,
    createdAtMs: 0,
    updatedAtMs: 0,
    serviceId,
    slot: options.slot ?? 1,
    nodeId: NODE_ID,
    spec,
    serviceVersion: 1,
    desiredState: TaskState.Running,
    status: { state: TaskState.Assigned, message: "assigned", timestampMs: 0 },
    networksAttachments: [],
    restartHistory: [],
  };
  if (options.ports) {
    task.endpoint = { spec: { mode: "vip", ports: options.ports }, ports: options.ports, virtualIps: [] };
  }
  return {
    task,
    service: {
      id: serviceId,
      name: options.serviceName ?? `t${RUN_ID}`,
      labels: options.serviceLabels ?? {},
    },
  };
}

export const FAST_LIMITS: Partial<AgentLimits> = {
  imagePullTimeoutMs: 5_000,
  statusBatchGapMs: 10,
  statusBatchDelayMsMax: 100,
};

export const TEST_HOSTNAME = `node-${RUN_ID}`;

export function startAgent(session: FakeSession, engineAddress = ENGINE_ADDRESS): Promise<Agent> {
  const agent = new Agent({
    nodeId: NODE_ID,
    source: session,
    reporter: session,
    engineAddress,
    hostname: TEST_HOSTNAME,
    limits: FAST_LIMITS,
  });
  return agent.start().then(() => agent);
}

export function taskContainers(taskId: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`com.shoal.task.id=${taskId}`] }),
  });
}

/** Removes every container this test run made. */
export async function removeRunContainers(): Promise<void> {
  const all = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${RUN_LABEL}=${RUN_ID}`] }),
  });
  await Promise.all(
    all.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}
