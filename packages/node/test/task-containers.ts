/**
 * Test helper: the task containers a test run made on the shared dockerd, found by the run's
 * label (the docker CLI, as an operator would look), and their removal.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Every container of a test run carries this label (set in the service's container spec). */
export const RUN_LABEL = "com.shoal.test.run";

/**
 * The task container most node tests run: busybox sleeping for an hour, labelled with the test
 * run (so `removeRunContainers` finds it) and stopped within a second; `extra` adds to it.
 */
export function sleeperContainer(runId: string, extra: Record<string, unknown> = {}) {
  return {
    image: "shoal-test/busybox:1",
    args: ["sleep", "3600"],
    labels: { [RUN_LABEL]: runId },
    stopGracePeriodMs: 1_000,
    ...extra,
  };
}

/**
 * A task container serving HTTP on port 80 (busybox httpd): its page is what `page` prints,
 * by default the container's host name, so a test sees which task answered.
 */
export function webContainer(runId: string, page = "hostname") {
  return sleeperContainer(runId, {
    args: ["sh", "-c", `mkdir -p /www && ${page} > /www/index.html && exec httpd -f -p 80 -h /www`],
  });
}

export interface TaskContainer {
  readonly id: string;
  readonly taskId: string;
  readonly nodeId: string;
  readonly running: boolean;
}

export async function dockerAvailable(): Promise<{ ok: boolean; reason: string }> {
  try {
    await run("docker", ["version", "--format", "{{.Server.Version}}"], { timeout: 5_000 });
    return { ok: true, reason: "" };
  } catch (error) {
    return { ok: false, reason: `no Docker Engine answers at DOCKER_HOST (${String(error).split("\n")[0]})` };
  }
}

export async function taskContainers(runId: string, dockerHost?: string): Promise<TaskContainer[]> {
  const format = '{{.ID}} {{.Label "com.shoal.task.id"}} {{.Label "com.shoal.node.id"}} {{.State}}';
  const { stdout } = await run(
    "docker",
    ["ps", "-a", "--no-trunc", "--filter", `label=${RUN_LABEL}=${runId}`, "--format", format],
    { env: dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env },
  );
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [id = "", taskId = "", nodeId = "", state = ""] = line.split(" ");
      return { id, taskId, nodeId, running: state === "running" };
    });
}

export async function removeRunContainers(runId: string, dockerHost?: string): Promise<void> {
  const found = await taskContainers(runId, dockerHost).catch(() => []);
  if (found.length === 0) return;
  await run("docker", ["rm", "-f", ...found.map((c) => c.id)], {
    env: dockerHost ? { ...process.env, DOCKER_HOST: dockerHost } : process.env,
  }).catch(() => undefined);
}
