import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, type Secret, TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../agent.ts";
import {
  docker,
  ENGINE_ADDRESS,
  FAST_LIMITS,
  makeAssignment,
  NODE_ID,
  newId,
  probeEngine,
  RUN_ID,
  removeRunContainers,
  TEST_HOSTNAME,
} from "../test-support/docker-fixture.ts";
import { FakeSession } from "../test-support/fake-session.ts";

const engine = await probeEngine();
if (!engine.ok) it.skip(`secrets and configs on a real engine skipped: ${engine.reason}`, () => {});

const FILES_DIR = `/dev/shm/shoal-test-${RUN_ID}`;

function startAgent(session: FakeSession, taskFilesDir = FILES_DIR): Promise<Agent> {
  const agent = new Agent({
    nodeId: NODE_ID,
    source: session,
    reporter: session,
    engineAddress: ENGINE_ADDRESS,
    hostname: TEST_HOSTNAME,
    limits: { ...FAST_LIMITS, taskFileWaitMs: 1_000 },
    taskFilesDir,
  });
  return agent.start().then(() => agent);
}

function makeSecret(name: string, text: string): Secret {
  const data = Buffer.from(text).toString("base64");
  return { id: newId(), version: 1, createdAtMs: 0, updatedAtMs: 0, spec: { name, labels: {}, data } };
}

function makeConfig(name: string, text: string): Config {
  return makeSecret(name, text);
}

/** The task's output once it printed `END` (its container keeps running afterwards). */
async function outputOf(agent: Agent, taskId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const lines: string[] = [];
    const options = { follow: false, timestamps: false };
    for await (const record of agent.logs(taskId, options, AbortSignal.timeout(5_000)))
      lines.push(record.line);
    const text = `${lines.join("\n")}\n`;
    if (lines.includes("END")) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the container printed no END");
}

async function bindSources(containerId: string): Promise<Map<string, string>> {
  const inspect = await docker.getContainer(containerId).inspect();
  return new Map(inspect.Mounts.map((m) => [m.Destination, m.Source]));
}

describe.skipIf(!engine.ok)("secrets and configs in task containers on a real Docker Engine", () => {
  const session = new FakeSession();
  let agent: Agent;

  beforeAll(async () => {
    agent = await startAgent(session);
  });
  afterAll(async () => {
    await agent?.stop();
    await removeRunContainers();
    rmSync(FILES_DIR, { recursive: true, force: true });
  });

  it("mounts a secret at /run/secrets/<name> and a config at its target, read-only, with owner and mode", async () => {
    const secret = makeSecret("db-password", "s3cret-value");
    const config = makeConfig("app.conf", "port=80\n");
    session.putFile({ kind: "secret", object: secret });
    session.putFile({ kind: "config", object: config });
    const script = [
      "cat /run/secrets/db-password; echo",
      "stat -c 'secret %a %u %g' /run/secrets/db-password",
      "cat /etc/app.conf",
      "stat -c 'config %a %u %g' /etc/app.conf",
      "(echo x > /run/secrets/db-password) 2>/dev/null && echo secret-writable || echo secret-read-only",
      "(echo x > /etc/app.conf) 2>/dev/null && echo config-writable || echo config-read-only",
      "echo END; sleep 60",
    ].join("; ");
    const a = makeAssignment({
      args: ["sh", "-c", script],
      secrets: [
        {
          secretId: secret.id,
          secretName: "db-password",
          file: { name: "db-password", uid: "0", gid: "0", mode: 0o400 },
        },
      ],
      configs: [
        {
          configId: config.id,
          configName: "app.conf",
          file: { name: "/etc/app.conf", uid: "1000", gid: "2000", mode: 0o444 },
        },
      ],
    });
    session.assign(a);
    const running = await session.waitForState(a.task.id, TaskState.Running);
    const output = await outputOf(agent, a.task.id);
    expect(output).toContain("s3cret-value\nsecret 400 0 0\n");
    expect(output).toContain("port=80\nconfig 444 1000 2000\n");
    expect(output).toContain("secret-read-only\nconfig-read-only\n");

    const sources = await bindSources(running.containerId!);
    const hostCopy = sources.get("/run/secrets/db-password")!;
    expect(hostCopy.startsWith(`${FILES_DIR}/${a.task.id}/`)).toBe(true);
    expect(execFileSync("stat", ["-f", "-c", "%T", hostCopy]).toString().trim()).toBe("tmpfs");
    expect(statSync(hostCopy).mode & 0o777).toBe(0o400);

    // The task is unassigned: its container goes, and its files with it.
    session.unassign(a.task.id);
    for (let i = 0; i < 100 && existsSync(join(FILES_DIR, a.task.id)); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(join(FILES_DIR, a.task.id))).toBe(false);
    expect(await docker.listContainers({ all: true, filters: { id: [running.containerId!] } })).toEqual([]);
  });

  it("rejects a task whose secret never arrives, naming the secret", async () => {
    const a = makeAssignment({
      secrets: [
        {
          secretId: newId(),
          secretName: "never-sent",
          file: { name: "never-sent", uid: "0", gid: "0", mode: 0o444 },
        },
      ],
    });
    session.assign(a);
    const rejected = await session.waitForState(a.task.id, TaskState.Rejected);
    expect(rejected.err).toContain("secret never-sent not available on this node");
  });

  it("runs a task whose secret arrives after the task", async () => {
    const secret = makeSecret("late", "arrived");
    const a = makeAssignment({
      args: ["sh", "-c", "cat /run/secrets/late; echo; echo END; sleep 60"],
      secrets: [
        { secretId: secret.id, secretName: "late", file: { name: "late", uid: "0", gid: "0", mode: 0o444 } },
      ],
    });
    session.assign(a);
    await new Promise((r) => setTimeout(r, 300));
    session.putFile({ kind: "secret", object: secret });
    await session.waitForState(a.task.id, TaskState.Running);
    expect(await outputOf(agent, a.task.id)).toContain("arrived\n");
  });

  it("keeps an adopted container's files after a restart and removes those of tasks gone", async () => {
    const secret = makeSecret("kept", "still-here");
    session.putFile({ kind: "secret", object: secret });
    const a = makeAssignment({
      secrets: [
        { secretId: secret.id, secretName: "kept", file: { name: "kept", uid: "0", gid: "0", mode: 0o444 } },
      ],
    });
    session.assign(a);
    await session.waitForState(a.task.id, TaskState.Running);
    await agent.stop();
    const stale = join(FILES_DIR, newId());
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, "secret-0"), "left behind");

    agent = await startAgent(session);
    for (let i = 0; i < 100 && existsSync(stale); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(FILES_DIR, a.task.id, "secret-0"))).toBe(true);
    expect(agent.taskStatus(a.task.id)?.state).toBe(TaskState.Running);
  });
});

describe.skipIf(!engine.ok)("secrets outside a tmpfs", () => {
  const session = new FakeSession();
  const diskDir = `/tmp/shoal-test-files-${RUN_ID}`;
  let agent: Agent;

  beforeAll(async () => {
    agent = await startAgent(session, diskDir);
  });
  afterAll(async () => {
    await agent?.stop();
    await removeRunContainers();
    rmSync(diskDir, { recursive: true, force: true });
  });

  const tmpIsTmpfs = execFileSync("stat", ["-f", "-c", "%T", "/tmp"]).toString().trim() === "tmpfs";
  it.skipIf(tmpIsTmpfs)(
    "rejects a task with a secret when the directory is not on a tmpfs, and writes nothing",
    async () => {
      const secret = makeSecret("disk", "must-not-touch-disk");
      session.putFile({ kind: "secret", object: secret });
      const a = makeAssignment({
        secrets: [
          {
            secretId: secret.id,
            secretName: "disk",
            file: { name: "disk", uid: "0", gid: "0", mode: 0o444 },
          },
        ],
      });
      session.assign(a);
      const rejected = await session.waitForState(a.task.id, TaskState.Rejected);
      expect(rejected.err).toContain(`secrets are kept on a tmpfs only, and ${diskDir} is on`);
      expect(existsSync(join(diskDir, a.task.id))).toBe(false);
    },
  );
});
