import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Dockerode from "dockerode";
import { type CommandRunner, localRunner } from "../overlay/command-runner.ts";

/** One simulated host: a network namespace on a test bridge, with its own dockerd. */
export interface TestHost {
  name: string;
  address: string;
  netnsPath: string;
  docker: Dockerode;
  dockerSocket: string;
  run: CommandRunner;
  dockerd: ChildProcess;
}

const sh = localRunner();

function quietly(p: Promise<unknown>): Promise<void> {
  return p.then(
    () => undefined,
    () => undefined,
  );
}

/** Why the multi-host tests cannot run here, or undefined when they can. */
export async function multiHostSkipReason(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return "multi-host tests need root (network namespaces, dockerd)";
  for (const tool of ["ip", "bridge", "nsenter", "dockerd", "docker"]) {
    try {
      await sh(["sh", "-c", `command -v ${tool}`]);
    } catch {
      return `multi-host tests need ${tool} on PATH`;
    }
  }
  try {
    await sh(["ip", "netns", "list"]);
  } catch (err) {
    return `ip netns is unavailable: ${String(err)}`;
  }
  if (!existsSync("/bin/busybox")) return "multi-host tests need /bin/busybox (busybox-static)";
  return undefined;
}

/**
 * Builds `count` hosts on a fresh bridge (10.77.S.0/24, S random): namespaces, veths, one dockerd
 * each (own data/exec roots under a temp dir, own --bip), the busybox test image imported into each.
 * `cleanup()` undoes everything, also after a failure half way.
 */
export class TestHosts {
  readonly tag = randomBytes(3).toString("hex");
  readonly dir = mkdtempSync(join(tmpdir(), "shoal-mh-"));
  readonly bridge = `shtb${this.tag}`;
  readonly subnetByte = 50 + (randomBytes(1)[0]! % 200);
  readonly hosts: TestHost[] = [];
  private readonly namespaces: string[] = [];
  private iptablesRule: string[] | undefined;

  async create(count: number): Promise<TestHost[]> {
    const gw = `10.77.${this.subnetByte}.1`;
    await sh(["ip", "link", "add", this.bridge, "type", "bridge"]);
    await sh(["ip", "addr", "add", `${gw}/24`, "dev", this.bridge]);
    await sh(["ip", "link", "set", this.bridge, "up"]);
    const rule = ["DOCKER-USER", "-i", this.bridge, "-o", this.bridge, "-j", "ACCEPT"];
    try {
      await sh(["iptables", "-I", ...rule]);
      this.iptablesRule = rule;
    } catch {
      // No DOCKER-USER chain: no dockerd in the root namespace, so nothing drops bridged traffic.
    }
    for (let i = 1; i <= count; i++) this.hosts.push(await this.addHost(i));
    await Promise.all(this.hosts.map((h) => this.waitForEngine(h)));
    await Promise.all(this.hosts.map((h) => this.importImage(h)));
    return this.hosts;
  }

  private async addHost(i: number): Promise<TestHost> {
    const name = `shoal-${this.tag}-h${i}`;
    const address = `10.77.${this.subnetByte}.${10 + i}`;
    const veth = `sv${this.tag}${i}`;
    await sh(["ip", "netns", "add", name]);
    this.namespaces.push(name);
    await sh(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name]);
    await sh(["ip", "link", "set", veth, "master", this.bridge, "up"]);
    const netnsPath = `/var/run/netns/${name}`;
    const run = localRunner(["nsenter", `--net=${netnsPath}`]);
    await run(["ip", "addr", "add", `${address}/24`, "dev", "eth0"]);
    await run(["ip", "link", "set", "eth0", "up"]);
    await run(["ip", "link", "set", "lo", "up"]);
    await run(["ip", "route", "add", "default", "via", `10.77.${this.subnetByte}.1`]);
    const root = join(this.dir, `h${i}`);
    const dockerSocket = join(root, "docker.sock");
    const log = openSync(join(this.dir, `h${i}-dockerd.log`), "a");
    const dockerd = spawn(
      "nsenter",
      [
        `--net=${netnsPath}`,
        ...["dockerd", "--data-root", join(root, "data"), "--exec-root", join(root, "exec")],
        ...["-H", `unix://${dockerSocket}`, "--pidfile", join(root, "pid"), "--bip", `172.31.${i}.1/24`],
      ],
      { stdio: ["ignore", log, log] },
    );
    return {
      name,
      address,
      netnsPath,
      docker: new Dockerode({ socketPath: dockerSocket }),
      dockerSocket,
      run,
      dockerd,
    };
  }

  private async waitForEngine(host: TestHost): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await host.docker.ping();
        return;
      } catch (err) {
        if (Date.now() > deadline || host.dockerd.exitCode !== null) {
          const log = readFileSync(join(this.dir, `${host.name.split("-").pop()}-dockerd.log`), "utf8");
          throw new Error(`dockerd of ${host.name} did not answer: ${String(err)}\n${log.slice(-2_000)}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async importImage(host: TestHost): Promise<void> {
    // One root filesystem per host: the hosts import in parallel, and a shared one raced (cp: File exists).
    const rootfs = join(this.dir, `rootfs-${host.name}`);
    const applets = "sh ls echo sleep httpd cat nc wget hostname mkdir";
    await sh([
      "sh",
      "-c",
      `mkdir -p ${rootfs}/bin && cp /bin/busybox ${rootfs}/bin/ && for c in ${applets}; do ln -sf busybox ${rootfs}/bin/$c; done && ` +
        `tar -C ${rootfs} -c . | docker -H unix://${host.dockerSocket} import - shoal-test/busybox:1 >/dev/null`,
    ]);
  }

  /** Removes containers, stops every dockerd (and the containerd and shims it left) by pid, deletes the rest. */
  async cleanup(): Promise<void> {
    await Promise.all(
      this.hosts.map(async (h) => {
        const all = await h.docker.listContainers({ all: true }).catch(() => []);
        await Promise.all(all.map((c) => quietly(h.docker.getContainer(c.Id).remove({ force: true }))));
      }),
    );
    for (const h of this.hosts) h.dockerd.kill("SIGTERM");
    await Promise.all(
      this.hosts.map(
        (h) =>
          new Promise<void>((resolve) => {
            if (h.dockerd.exitCode !== null || h.dockerd.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              h.dockerd.kill("SIGKILL");
              resolve();
            }, 10_000);
            h.dockerd.once("exit", () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    this.killLeftovers();
    for (const ns of this.namespaces) await quietly(sh(["ip", "netns", "del", ns]));
    await quietly(sh(["ip", "link", "del", this.bridge]));
    if (this.iptablesRule) await quietly(sh(["iptables", "-D", ...this.iptablesRule]));
    await quietly(
      new Promise((r) => execFile("sh", ["-c", `umount -R ${this.dir}/*/data/* 2>/dev/null`], r)),
    );
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // a busy mount point: left for the OS's temp cleaning
    }
  }

  /** containerd and shims started for our dockerds: their command lines name our temp dir. */
  private killLeftovers(): void {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (cmdline.includes(this.dir) && Number(pid) !== process.pid) process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone already
      }
    }
  }
}
