import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Named limit: how long installing Debian's postgresql may take. */
const INSTALL_TIMEOUT_MS = 240_000;
const NOBODY_UID = 65534;
const NOGROUP_GID = 65534;

export interface PostgresServer {
  readonly url: string;
  stop(): void;
}

/**
 * A private PostgreSQL cluster for one test file: initdb in a temp directory (as `nobody` when
 * run as root: postgres refuses root), listening on 127.0.0.1 and a socket in that directory,
 * trust auth. Installs Debian's postgresql when it is missing and this process may. Returns a
 * reason instead when it cannot run here.
 */
export async function startPostgres(): Promise<PostgresServer | { skip: string }> {
  const bin = findBin() ?? install();
  if (typeof bin !== "string") return bin;
  const dir = mkdtempSync(join(tmpdir(), "shoal-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, NOBODY_UID, NOGROUP_GID);
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "nobody", "--", join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  const data = join(dir, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "--auth=trust", "-U", "shoal", "--no-sync"]);
  run("pg_ctl", [
    "start",
    "-w",
    "-D",
    data,
    "-l",
    join(dir, "log"),
    "-o",
    `-k ${dir} -h 127.0.0.1 -p ${port} -F`,
  ]);
  return {
    url: `postgresql://shoal@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["stop", "-w", "-m", "fast", "-D", data]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function findBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const version = readdirSync(base).sort().at(-1);
  const bin = version === undefined ? undefined : join(base, version, "bin");
  return bin !== undefined && existsSync(join(bin, "initdb")) ? bin : undefined;
}

function install(): string | { skip: string } {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    return {
      skip: "PostgreSQL is not installed and this process cannot install it (needs root and apt-get)",
    };
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const attempt = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], {
      env,
      timeout: INSTALL_TIMEOUT_MS,
    });
  if (attempt().status !== 0) {
    spawnSync("apt-get", ["update"], { env, timeout: INSTALL_TIMEOUT_MS });
    attempt();
  }
  return findBin() ?? { skip: "apt-get install postgresql failed: PostgreSQL history is untested here" };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
