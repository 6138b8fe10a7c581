/**
 * Secrets and configs end to end on one real node process (manager and agent, sharing the
 * machine's dockerd): `secret.create` and `config.create`, then a service naming them gives a
 * container that reads the secret at /run/secrets/<name> and the config at its target, read-only;
 * the secret's value appears in none of the node's logs. Every container of the run is removed.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DaemonProcess, eventually } from "./daemon-process.ts";
import { dockerAvailable, removeRunContainers, sleeperContainer, taskContainers } from "./task-containers.ts";

const run = promisify(execFile);
const RUN_ID = randomBytes(4).toString("hex");
const SECRET_VALUE = `pw-${randomBytes(8).toString("hex")}`;
const engine = await dockerAvailable();

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe.skipIf(!engine.ok)("secrets and configs in a service's containers", () => {
  let root: string;
  let node: DaemonProcess;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "shoal-secrets-test-"));
    node = await DaemonProcess.start(root, "s1");
    await node.call("swarm/init", { advertiseAddr: node.addr });
  }, 90_000);

  afterAll(async () => {
    const nodeId = (await node?.info().catch(() => undefined))?.nodeId;
    await node?.kill();
    await removeRunContainers(RUN_ID);
    // The agent's files of the killed node's tasks (on the tmpfs).
    if (nodeId) await rm(`/dev/shm/shoal/${nodeId}`, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  }, 60_000);

  it("a service's container reads its secret and config, read-only, and the value is never logged", async () => {
    await node.control("secret.create", { name: "db-password", data: base64(SECRET_VALUE) });
    await node.control("config.create", { name: "app-conf", data: base64("port=8080") });
    await node.control("service.create", {
      spec: {
        name: "app",
        mode: { replicated: { replicas: 1 } },
        taskTemplate: {
          containerSpec: sleeperContainer(RUN_ID, {
            secrets: [{ source: "db-password" }],
            configs: [{ source: "app-conf", target: "/etc/app.conf", mode: 0o440 }],
          }),
        },
      },
    });
    const container = await eventually(
      async () => (await taskContainers(RUN_ID)).find((c) => c.running),
      "the app container running",
      30_000,
    );
    const exec = async (script: string) =>
      (await run("docker", ["exec", container.id, "sh", "-c", script])).stdout;
    expect(await exec("cat /run/secrets/db-password")).toBe(SECRET_VALUE);
    expect(await exec("cat /etc/app.conf; stat -c ' %a' /etc/app.conf")).toBe("port=8080 440\n");
    expect(await exec("stat -c '%a' /run/secrets/db-password")).toBe("444\n");
    expect(await exec("echo x > /run/secrets/db-password 2>&1 || echo refused")).toContain("refused");
    expect(node.output).not.toContain(SECRET_VALUE);
    expect(node.output).not.toContain(base64(SECRET_VALUE));
  });
});
