/**
 * The Docker Compose demo (docker-compose.yml at the repo root) cannot run in CI (no Docker
 * Compose there), so this reads it: three nodes on the host's network, the manager serving the
 * dashboard on 8080, a data volume each, the Dockerfile and entrypoint it names exist, the
 * workers wait for the manager, the entrypoint parses as sh, and every flag given to the nodes is
 * one they accept.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");

interface Service {
  build?: { context?: string; dockerfile?: string };
  command?: string[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  network_mode?: string;
  pid?: string;
  privileged?: boolean;
  environment?: Record<string, string>;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

const compose = parse(read("docker-compose.yml")) as ComposeFile;
const services = Object.entries(compose.services);
const ENTRYPOINT = "apps/cli/docker/entrypoint.sh";

/** The option names of `options: { ... }` in a command file (`"data-dir": {`, `hostname: {`). */
function commandOptions(path: string): Set<string> {
  const block = read(path).match(/\n {2}options: \{\n([\s\S]*?)\n {2}\},/)?.[1];
  if (block === undefined) throw new Error(`no options block in ${path}`);
  return new Set([...block.matchAll(/^\s+"?([a-z][a-z-]*)"?: \{/gm)].map((m) => m[1] as string));
}

/** `--name value` pairs after the role (the entrypoint's first argument). */
function flagsOf(service: Service): string[] {
  const [, ...args] = service.command ?? [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i] as string;
    expect(flag, `${args.join(" ")}: flags come as --name value`).toMatch(/^--[a-z-]+$/);
    expect(args[i + 1], `${flag} needs a value`).toBeDefined();
    flags.push(flag.slice(2));
  }
  return flags;
}

describe("docker-compose.yml (the 1-manager + 2-worker demo)", () => {
  it("has a manager and two workers, the manager alone serving its API (the dashboard) on 8080", () => {
    expect(services.map(([name]) => name).sort()).toEqual(["manager", "worker1", "worker2"]);
    const flag = (s: Service, name: string) => (s.command ?? [])[(s.command ?? []).indexOf(name) + 1];
    expect(flag(compose.services.manager as Service, "--api-addr")).toBe("0.0.0.0:8080");
    const apis = services.map(([, s]) => flag(s, "--api-addr"));
    expect(new Set(apis.map((a) => a?.split(":")[1])).size).toBe(3);
    for (const [name, s] of services)
      expect(s.environment?.SHOAL_HOST, `${name}: the entrypoint's CLI talks to its own node`).toBe(
        `http://${flag(s, "--api-addr")?.replace("0.0.0.0", "127.0.0.1")}`,
      );
    expect(compose.services.manager?.command?.[0]).toBe("manager");
    expect(compose.services.worker1?.command?.[0]).toBe("worker");
    expect(compose.services.worker2?.command?.[0]).toBe("worker");
  });

  it("gives each node its own named data volume at its --data-dir", () => {
    const dataVolumes = services.map(([name, s]) => {
      const flags = s.command ?? [];
      const dataDir = flags[flags.indexOf("--data-dir") + 1];
      const mount = (s.volumes ?? []).find((v) => v.split(":")[1] === dataDir);
      expect(mount, `${name}: a volume mounted at ${dataDir}`).toBeDefined();
      const volume = (mount as string).split(":")[0] as string;
      expect(Object.keys(compose.volumes ?? {}), `${name}: ${volume} is a named volume`).toContain(volume);
      return volume;
    });
    expect(new Set(dataVolumes).size).toBe(3);
  });

  it("runs every node on the host (network, PIDs, /dev/shm, Docker socket), each on its own cluster port", () => {
    const ports = services.map(([name, s]) => {
      expect(s.network_mode, name).toBe("host");
      expect(s.pid, name).toBe("host");
      expect(s.privileged, name).toBe(true);
      expect(s.ports, `${name}: host networking publishes nothing`).toBeUndefined();
      expect(s.volumes, name).toContain("/var/run/docker.sock:/var/run/docker.sock");
      expect(s.volumes, name).toContain("/dev/shm:/dev/shm");
      const flags = s.command ?? [];
      const port = (flags[flags.indexOf("--listen-addr") + 1] as string).split(":")[1];
      expect(flags[flags.indexOf("--advertise-addr") + 1]).toBe(`127.0.0.1:${port}`);
      return port;
    });
    expect(new Set(ports).size).toBe(3);
    const managerFlags = compose.services.manager?.command ?? [];
    const managerAddr = managerFlags[managerFlags.indexOf("--advertise-addr") + 1];
    for (const worker of ["worker1", "worker2"])
      expect(compose.services[worker]?.environment?.SHOAL_MANAGER_ADDR).toBe(managerAddr);
  });

  it("installs in the image what a node runs on its host: ip, bridge, iptables-restore, nsenter", () => {
    expect(read("apps/cli/Dockerfile")).toMatch(/iproute2 iptables util-linux/);
  });

  it("builds every node from the one Dockerfile, whose entrypoint exists", () => {
    for (const [name, s] of services) {
      expect(s.build?.context, name).toBe(".");
      expect(s.build?.dockerfile, name).toBe("apps/cli/Dockerfile");
    }
    expect(existsSync(join(root, "apps/cli/Dockerfile"))).toBe(true);
    const dockerfile = read("apps/cli/Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/npm install && npm run build:web/);
    expect(dockerfile).toContain(`ENTRYPOINT ["/app/${ENTRYPOINT}"]`);
    expect(existsSync(join(root, ENTRYPOINT))).toBe(true);
  });

  it("starts the workers after the manager is healthy (swarm created, join token written)", () => {
    for (const worker of ["worker1", "worker2"]) {
      const dependsOn = compose.services[worker]?.depends_on;
      expect(dependsOn && !Array.isArray(dependsOn) ? dependsOn.manager?.condition : undefined).toBe(
        "service_healthy",
      );
    }
  });

  it("has an entrypoint that parses as sh and is executable", () => {
    execFileSync("sh", ["-n", join(root, ENTRYPOINT)]);
    expect(
      execFileSync("sh", ["-c", `test -x "$1" && echo yes`, "sh", join(root, ENTRYPOINT)]).toString(),
    ).toBe("yes\n");
  });

  it("passes the nodes only flags that `shoal daemon` accepts (and the dashboard server reads)", () => {
    const daemonOptions = commandOptions("apps/cli/src/commands/daemon.ts");
    expect(daemonOptions).toContain("data-dir");
    const serverReads = new Set(
      [...read("apps/web/server.ts").matchAll(/option\("([a-z-]+)"/g)].map((m) => m[1]),
    );
    for (const [name, s] of services) {
      for (const flag of flagsOf(s)) expect(daemonOptions, `${name}: --${flag}`).toContain(flag);
    }
    // The manager runs apps/web/server.ts (the node plus the dashboard), which reads its own flags.
    for (const flag of flagsOf(compose.services.manager as Service))
      expect(serverReads, `manager: --${flag}`).toContain(flag);
    const manager = compose.services.manager?.command ?? [];
    expect(manager[manager.indexOf("--api-addr") + 1]).toBe("0.0.0.0:8080");
  });
});
