import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskState } from "@shoal/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "./agent.ts";
import type { LogRecord } from "./executor/executor.ts";
import {
  makeAssignment,
  probeEngine,
  removeRunContainers,
  startAgent,
} from "./test-support/docker-fixture.ts";
import { FakeSession } from "./test-support/fake-session.ts";

const engine = await probeEngine();
if (!engine.ok) it.skip(`container setup on a real engine skipped: ${engine.reason}`, () => {});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe.skipIf(!engine.ok)("container setup on a real Docker Engine", () => {
  const session = new FakeSession();
  let agent: Agent;
  let hostDir: string;

  beforeAll(async () => {
    hostDir = await mkdtemp(join(tmpdir(), "shoal-agent-"));
    agent = await startAgent(session);
  });
  afterAll(async () => {
    await agent?.stop();
    await removeRunContainers();
    if (hostDir) await rm(hostDir, { recursive: true, force: true });
  });

  it("mounts a bind mount (with a templated target) and a tmpfs", async () => {
    await writeFile(join(hostDir, "in.txt"), "from the host\n");
    const a = makeAssignment({
      slot: 2,
      args: [
        "sh",
        "-c",
        "cat /data-2/in.txt > /data-2/out.txt && grep ' /scratch tmpfs ' /proc/mounts > /data-2/mounts.txt && echo x > /scratch/f",
      ],
      mounts: [
        { type: "bind", source: hostDir, target: "/data-{{.Task.Slot}}", readOnly: false },
        { type: "tmpfs", target: "/scratch", readOnly: false },
      ],
    });
    session.assign(a);
    const done = await session.waitForState(a.task.id, TaskState.Complete);
    expect(done.exitCode).toBe(0);
    expect(await readFile(join(hostDir, "out.txt"), "utf8")).toBe("from the host\n");
    expect(await readFile(join(hostDir, "mounts.txt"), "utf8")).toContain("/scratch tmpfs");
  });

  it("publishes a host-mode port, reachable on 127.0.0.1, and reports it", async () => {
    const port = await freePort();
    const a = makeAssignment({
      args: ["httpd", "-f", "-p", "80", "-h", "/www"],
      ports: [{ protocol: "tcp", targetPort: 80, publishedPort: port, publishMode: "host" }],
    });
    session.assign(a);
    const running = await session.waitForState(a.task.id, TaskState.Running);
    expect(running.hostPorts).toEqual([port]);
    await expect
      .poll(
        async () =>
          (
            await fetch(`http://127.0.0.1:${port}/`)
              .then((r) => r.text())
              .catch(() => "")
          ).trim(),
        {
          timeout: 5_000,
        },
      )
      .toBe("shoal test page");
  });

  it("reads logs demultiplexed: tail, timestamps, and follow", async () => {
    const a = makeAssignment({
      args: [
        "sh",
        "-c",
        "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; sleep 1; echo later; sleep 60",
      ],
    });
    session.assign(a);
    await session.waitForState(a.task.id, TaskState.Running);
    const collect = async (
      follow: boolean,
      tail: number | undefined,
      until?: string,
    ): Promise<LogRecord[]> => {
      const stopper = new AbortController();
      const out: LogRecord[] = [];
      const timer = setTimeout(() => stopper.abort(), 8_000);
      for await (const record of agent.logs(
        a.task.id,
        { follow, tail, timestamps: follow },
        stopper.signal,
      )) {
        out.push(record);
        if (until && record.line.endsWith(until)) break;
      }
      clearTimeout(timer);
      stopper.abort();
      return out;
    };
    const followed = await collect(true, undefined, "later");
    // The engine keeps order within a stream; across streams at the same instant it may not.
    const lines = (stream: LogRecord["stream"]) =>
      followed.filter((r) => r.stream === stream).map((r) => r.line.replace(/^\S+ /, ""));
    expect(lines("stdout")).toEqual(["line1", "line2", "line3", "line4", "line5", "later"]);
    expect(lines("stderr")).toEqual(["oops"]);
    expect(followed.find((r) => r.stream === "stdout")?.line).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z line1$/);
    const tail = await collect(false, 2);
    expect(tail).toHaveLength(2);
    expect(tail[1]).toEqual({ stream: "stdout", line: "later" });
  });
});
