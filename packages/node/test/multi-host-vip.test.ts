/**
 * Service VIPs carrying traffic across two hosts (network namespaces, one dockerd each; a manager
 * on one, a worker on the other), and a task on two overlay networks. A client task on both
 * networks fetches `http://web/` (the name → the VIP → DNAT in the client's namespace) and gets
 * answers from the web tasks on both hosts; it reaches `http://api/` on its second network; a
 * scale-down of web under a request loop fails no request; VIP and direct task address are timed
 * side by side; the client's node crashes (the VIP still answers) and on restart adopts the client,
 * whose DNS answers both networks again; `--network-rm` of the second network gives a client task without it (and the host
 * left with no task on it drops it), `--network-add` one on both again. Everything
 * goes in afterAll, also after a failure. Needs root and `ip netns`; skipped otherwise, saying so.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { TaskState } from "@shoal/store";
import { describe, expect, it } from "vitest";
import { multiHostSkipReason, type TestHost } from "../../agent/src/network/test-support/netns-hosts.ts";
import { eventually } from "./daemon-process.ts";
import type { ServiceRow, TaskRow } from "./store-rows.ts";
import { RUN_LABEL, taskContainers } from "./task-containers.ts";
import { type TwoHostSwarm, twoHostSwarm } from "./two-host-swarm.ts";

const skipReason = await multiHostSkipReason();
const RUN_ID = randomBytes(4).toString("hex");
const exec = promisify(execFile);
const IMAGE = "shoal-test/busybox:1";

/** Runs a command in a container of `host`; stdout. */
async function inContainer(host: TestHost, id: string, command: string[], timeout = 10_000): Promise<string> {
  const { stdout } = await exec("docker", ["-H", `unix://${host.dockerSocket}`, "exec", id, ...command], {
    timeout,
  });
  return stdout;
}

/** An HTTP server task answering its host name (and /big, a 32 MiB file). */
function httpService(name: string, replicas: number, networks: string[], body = "$(hostname)") {
  return {
    name,
    mode: { replicated: { replicas } },
    taskTemplate: {
      containerSpec: {
        image: IMAGE,
        args: [
          "sh",
          "-c",
          `mkdir -p /www && echo ${body} > /www/index.html && busybox dd if=/dev/zero of=/www/big bs=1048576 count=32 2>/dev/null; exec httpd -f -p 80 -h /www`,
        ],
        labels: { [RUN_LABEL]: RUN_ID },
        stopGracePeriodMs: 2_000,
      },
      placement: { maxReplicas: 1 },
      networks: networks.map((target) => ({ target })),
    },
  };
}

async function runningTasks(swarm: TwoHostSwarm, service: string, count: number): Promise<TaskRow[]> {
  let seen: TaskRow[] = [];
  return eventually(
    async () => {
      const tasks = await swarm.manager.control<TaskRow[]>("task.list", { filters: { service } });
      seen = tasks;
      const live = tasks.filter((t) => t.desiredState === TaskState.Running);
      const up = live.filter((t) => t.status.state === TaskState.Running);
      const gone = tasks.filter((t) => t.desiredState !== TaskState.Running);
      return up.length === count &&
        live.length === count &&
        gone.every((t) => t.status.state > TaskState.Running)
        ? up
        : undefined;
    },
    `${count} running task(s) of ${service}`,
    60_000,
  ).catch((err: Error) => {
    const states = seen.map((t) => ({ node: t.nodeId, desired: t.desiredState, status: t.status }));
    const logs = [swarm.manager, swarm.worker].map((d) => `${d.name}: ${d.output.slice(-3_000)}`);
    throw new Error(`${err.message}; tasks: ${JSON.stringify(states)}\n${logs.join("\n")}`);
  });
}

/** Milliseconds for `script` run in the container (one docker exec, so exec's own cost is shared). */
async function timed(host: TestHost, id: string, script: string): Promise<number> {
  const started = performance.now();
  await inContainer(host, id, ["sh", "-c", script], 60_000);
  return performance.now() - started;
}

describe.skipIf(skipReason !== undefined)("service VIPs across two hosts, a task on two overlays", () => {
  const swarm = twoHostSwarm("vip");

  it("balances web's VIP over both hosts, reaches api on the second network, scales down with no failed request", async () => {
    const nodes = await swarm.initAndJoin();
    const hostOf = (nodeId: string | undefined) =>
      nodes.find((n) => n.id === nodeId)?.status.addr === swarm.h1.address ? swarm.h1 : swarm.h2;
    const containerOf = async (t: TaskRow) => {
      const host = hostOf(t.nodeId);
      const c = (await taskContainers(RUN_ID, `unix://${host.dockerSocket}`)).find((x) => x.taskId === t.id);
      if (!c) throw new Error(`no container for task ${t.id}`);
      return { host, id: c.id };
    };
    for (const [name, third] of [
      ["front", 8],
      ["back", 9],
    ] as const) {
      await swarm.manager.control("network.create", {
        name,
        driver: "overlay",
        attachable: true,
        ipam: [{ subnet: `10.213.${third}.0/24`, gateway: `10.213.${third}.1` }],
      });
    }
    const front = await swarm.manager.control<{ id: string }>("network.inspect", { network: "front" });
    const back = await swarm.manager.control<{ id: string }>("network.inspect", { network: "back" });

    await swarm.manager.control("service.create", { spec: httpService("web", 2, ["front"]) });
    await swarm.manager.control("service.create", { spec: httpService("api", 1, ["back"], "api") });
    await swarm.manager.control("service.create", {
      spec: {
        name: "client",
        mode: { replicated: { replicas: 1 } },
        taskTemplate: {
          containerSpec: { image: IMAGE, args: ["sleep", "3600"], labels: { [RUN_LABEL]: RUN_ID } },
          networks: [{ target: "front" }, { target: "back" }],
        },
      },
    });
    const webTasks = await runningTasks(swarm, "web", 2);
    expect(new Set(webTasks.map((t) => t.nodeId)).size).toBe(2);
    const [clientTask] = await runningTasks(swarm, "client", 1);
    const client = await containerOf(clientTask!);
    expect(clientTask!.networksAttachments.map((a) => a.networkId).sort()).toEqual(
      [front.id, back.id].sort(),
    );
    const ifaces = await inContainer(client.host, client.id, ["busybox", "ip", "-4", "-o", "addr"]);
    for (const a of clientTask!.networksAttachments) expect(ifaces).toContain(a.addresses[0]!);

    // By name → VIP → a web task; over 30 requests both hosts' tasks answer.
    const hostnames = await Promise.all(
      webTasks.map(async (t) => {
        const c = await containerOf(t);
        return (await inContainer(c.host, c.id, ["hostname"])).trim();
      }),
    );
    const answers = await eventually(async () => {
      const out = await inContainer(
        client.host,
        client.id,
        ["sh", "-c", "for i in $(busybox seq 1 30); do wget -q -O - http://web/ || echo FAIL; done"],
        30_000,
      );
      const lines = out.trim().split("\n");
      return lines.every((l) => hostnames.includes(l)) && new Set(lines).size === 2 ? lines : undefined;
    }, "web's VIP answering from the tasks on both hosts");
    expect(new Set(answers)).toEqual(new Set(hostnames));

    // The second network: api by name (VIP) and tasks.api, through the client's one DNS server.
    const api = await eventually(
      async () =>
        (await inContainer(client.host, client.id, ["wget", "-q", "-O", "-", "http://api/"])).trim(),
      "api reachable on the second network",
    );
    expect(api).toBe("api");

    // Scale down under a request loop: no request fails, the task left answers every one.
    const loop = inContainer(
      client.host,
      client.id,
      [
        "sh",
        "-c",
        'ok=0; fail=0; for i in $(busybox seq 1 120); do if out=$(wget -q -O /dev/null http://web/ 2>&1); then ok=$((ok+1)); else fail=$((fail+1)); echo "request $i at $(busybox date +%s): $out; $(busybox nslookup web 2>&1 | busybox tr "\\n" " ")"; fi; busybox usleep 50000; done; echo $ok $fail',
      ],
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const scaledAt = Math.floor(Date.now() / 1000);
    await swarm.manager.control("service.scale", { service: "web", replicas: 1 });
    const [left] = await runningTasks(swarm, "web", 1);
    const loopOut = (await loop).trim().split("\n");
    const [ok, failed] = loopOut.at(-1)!.split(" ").map(Number);
    const keptContainer = await containerOf(left!);
    if (failed !== 0) {
      const where =
        keptContainer.host === client.host ? "kept task on the client's host" : "kept task on the other host";
      const logs = [swarm.manager, swarm.worker].map((d) => `${d.name}: ${d.output.slice(-4_000)}`);
      console.log(`scaled at ${scaledAt}; ${where}\n${loopOut.join("\n")}\n${logs.join("\n")}`);
    }
    expect({ ok, failed, errors: loopOut.slice(0, -1) }).toEqual({ ok: 120, failed: 0, errors: [] });
    const keptName = (await inContainer(keptContainer.host, keptContainer.id, ["hostname"])).trim();
    const after = await inContainer(client.host, client.id, [
      "sh",
      "-c",
      "for i in $(busybox seq 1 10); do wget -q -O - http://web/ || echo FAIL; done",
    ]);
    expect(new Set(after.trim().split("\n"))).toEqual(new Set([keptName]));

    // VIP against the task's own address, side by side: 100 small requests, then 32 MiB x 4.
    const web = await swarm.manager.control<ServiceRow>("service.inspect", { service: "web" });
    const vip = web.endpoint!.virtualIps.find((v) => v.networkId === front.id)!.addr.split("/")[0]!;
    const direct = left!.networksAttachments
      .find((a) => a.networkId === front.id)!
      .addresses[0]!.split("/")[0]!;
    const small = (to: string) =>
      `for i in $(busybox seq 1 100); do wget -q -O /dev/null http://${to}/; done`;
    const big = (to: string) => `for i in 1 2 3 4; do wget -q -O /dev/null http://${to}/big; done`;
    const runs: Record<string, number[]> = { vipSmall: [], directSmall: [], vipBig: [], directBig: [] };
    for (let round = 0; round < 5; round++) {
      runs.directSmall!.push(await timed(client.host, client.id, small(direct)));
      runs.vipSmall!.push(await timed(client.host, client.id, small(vip)));
      runs.directBig!.push(await timed(client.host, client.id, big(direct)));
      runs.vipBig!.push(await timed(client.host, client.id, big(vip)));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const sameHost = keptContainer.host === client.host ? "same host" : "other host";
    console.log(
      `VIP vs direct (${sameHost}, median of 5): 100 requests ${median(runs.vipSmall!).toFixed(0)} ms vs ${median(runs.directSmall!).toFixed(0)} ms; ` +
        `128 MiB ${((128 / median(runs.vipBig!)) * 1000).toFixed(0)} MiB/s vs ${((128 / median(runs.directBig!)) * 1000).toFixed(0)} MiB/s`,
    );

    // The client's node crashes: the VIP keeps carrying traffic (the rules are the kernel's); once it
    // is back it adopts the client and its DNS answers both networks' names again.
    const clientNode = client.host === swarm.h1 ? swarm.manager : swarm.worker;
    // A longer heartbeat period, so the node is not DOWN (and the client moved) while it restarts.
    await swarm.manager.control("cluster.update", { heartbeatPeriodMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1_500));
    await clientNode.kill();
    const during = await inContainer(client.host, client.id, ["wget", "-q", "-O", "-", `http://${vip}/`]);
    expect(during.trim()).toBe(keptName);
    await clientNode.restart();
    const afterRestart = await eventually(
      async () =>
        (await inContainer(client.host, client.id, ["wget", "-q", "-O", "-", "http://api/"])).trim(),
      "api by name from the adopted client after its node restarted",
      60_000,
    );
    expect(afterRestart).toBe("api");
    expect((await runningTasks(swarm, "client", 1))[0]!.id).toBe(clientTask!.id);
    await swarm.manager.control("cluster.update", { heartbeatPeriodMs: 1_000 });

    // --network-rm back: the client's new task is on front only, and api no longer resolves.
    const spec = (await swarm.manager.control<ServiceRow>("service.inspect", { service: "client" })).spec;
    spec.taskTemplate.networks = spec.taskTemplate.networks.filter((n) => n.target !== back.id);
    await swarm.manager.control("service.update", { service: "client", spec });
    const moved = await eventually(
      async () => {
        const [t] = await runningTasks(swarm, "client", 1);
        return t && t.id !== clientTask!.id ? t : undefined;
      },
      "the client's new task",
      60_000,
    );
    expect(moved.networksAttachments.map((a) => a.networkId)).toEqual([front.id]);
    const c2 = await containerOf(moved);
    const lookup = await inContainer(c2.host, c2.id, ["busybox", "nslookup", "api"]).catch(
      (err: { stdout?: string }) => err.stdout ?? "",
    );
    expect(lookup).not.toMatch(/10\.213\.9\./);
    expect((await inContainer(c2.host, c2.id, ["wget", "-q", "-O", "-", "http://web/"])).trim()).toBe(
      keptName,
    );
    // The host with no task on back any more drops it (Docker network, devices, DNS listener).
    const [apiTask] = await runningTasks(swarm, "api", 1);
    const noApi = hostOf(apiTask!.nodeId) === swarm.h1 ? swarm.h2 : swarm.h1;
    await eventually(async () => {
      const left = await noApi.docker.listNetworks({
        filters: JSON.stringify({ label: [`com.shoal.network.id=${back.id}`] }),
      });
      return left.length === 0;
    }, "back gone from the host without a task on it");

    // --network-add back: the next client task is on both again and reaches api.
    const again = (await swarm.manager.control<ServiceRow>("service.inspect", { service: "client" })).spec;
    again.taskTemplate.networks = [...again.taskTemplate.networks, { target: back.id, aliases: [] }];
    await swarm.manager.control("service.update", { service: "client", spec: again });
    const rejoined = await eventually(
      async () => {
        const [t] = await runningTasks(swarm, "client", 1);
        return t && t.id !== moved.id ? t : undefined;
      },
      "the client's task on both networks",
      60_000,
    );
    expect(rejoined.networksAttachments.map((a) => a.networkId)).toEqual([front.id, back.id]);
    const c3 = await containerOf(rejoined);
    const viaApi = await eventually(
      async () => (await inContainer(c3.host, c3.id, ["wget", "-q", "-O", "-", "http://api/"])).trim(),
      "api reachable again after --network-add",
    );
    expect(viaApi).toBe("api");
  }, 300_000);
});

if (skipReason !== undefined) it.skip(`multi-host VIP test skipped: ${skipReason}`, () => {});
