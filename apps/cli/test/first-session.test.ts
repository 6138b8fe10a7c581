/**
 * A docker user's first session against a real `shoal daemon` (temp data dir, free ports, the
 * Docker Engine at /tmp/shoal-docker/docker.sock when it answers): swarm init with the first
 * admin, join-token, service create with live progress, ls/scale/ps, node ls, stack deploy/ps,
 * and removal; plus what happens without credentials.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon, freePort, type Result, shoal, tasksCanRunOn } from "./shoal-cli.ts";

const DOCKER_HOST = "unix:///tmp/shoal-docker/docker.sock";
const IMAGE = "shoal-test/busybox:1";

let root: string;
let daemon: Daemon;
let host: string;
let env: NodeJS.ProcessEnv;
let tasksCanRun = false;

const run = (...args: string[]) => shoal(args, env);
const ok = (r: Result) => {
  expect(r.stderr, r.stdout).not.toMatch(/^Error/m);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-cli-"));
  const [apiPort, listenPort] = [await freePort(), await freePort()];
  host = `http://127.0.0.1:${apiPort}`;
  env = { SHOAL_HOST: host, SHOAL_CONFIG: join(root, "config"), DOCKER_HOST };
  daemon = Daemon.start(
    [
      "--data-dir",
      join(root, "data"),
      "--listen-addr",
      `127.0.0.1:${listenPort}`,
      "--api-addr",
      `127.0.0.1:${apiPort}`,
      "--log-level",
      "warn",
    ],
    env,
  );
  await daemon.waitForApi(host);
}, 90_000);

afterAll(async () => {
  await daemon?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe("a docker user's first session", { timeout: 120_000 }, () => {
  it("swarm init creates the swarm and its first admin, and stores a token (0600)", async () => {
    const out = ok(await run("swarm", "init", "--admin-user", "admin", "--admin-password", "correct-horse"));
    expect(out).toMatch(/^Swarm initialized: current node \([0-9a-z]{25}\) is now a manager\./m);
    expect(out).toMatch(/shoal swarm join --token SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25} 127\.0\.0\.1:\d+/);
    const config = join(root, "config", "config.json");
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(config, "utf8")).hosts[host].token).toMatch(/^shoal_/);
    tasksCanRun = await tasksCanRunOn(host, DOCKER_HOST);
  });

  it("join-token -q worker prints the bare SWMTKN-1 token", async () => {
    expect(ok(await run("swarm", "join-token", "-q", "worker")).trim()).toMatch(
      /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/,
    );
  });

  it("without credentials the API refuses and the CLI says to log in", async () => {
    const r = await shoal(["service", "ls"], { ...env, SHOAL_CONFIG: join(root, "nobody") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error \(unauthenticated\)/);
    expect(r.stderr).toContain("shoal -H");
    expect(r.stderr).toContain("login");
  });

  it("login with a user and password stores a working token", async () => {
    const other = { ...env, SHOAL_CONFIG: join(root, "second") };
    const r = await shoal(["login", "-u", "admin", "-p", "correct-horse"], other);
    expect(r.stdout).toMatch(/^Login Succeeded \(admin\)/);
    expect((await shoal(["node", "ls", "-q"], other)).stdout.trim()).toMatch(/^[0-9a-z]{25}$/);
    expect((await shoal(["logout"], other)).stdout).toContain("Removed login credentials");
  });

  it("node ls shows the manager like docker", async () => {
    const out = ok(await run("node", "ls"));
    const [header, row] = out.trim().split("\n");
    expect(header).toMatch(/^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION$/);
    expect(row).toMatch(/^[0-9a-z]{25} \*\s+\S+\s+Ready\s+Active\s+Leader/);
  });

  it("service create shows per-task progress and returns once converged", async (ctx) => {
    if (!tasksCanRun)
      ctx.skip("the node reports no Docker Engine (healthz engineAvailable=false): tasks cannot run");
    const out = ok(
      await run("service", "create", "--replicas", "3", "--name", "web", IMAGE, "sleep", "3600"),
    );
    expect(out).toMatch(/^[0-9a-z]{25}$/m);
    expect(out).toContain("overall progress: 3 out of 3 tasks");
    expect(out).toMatch(/^1\/3: running/m);
    expect(out).toMatch(/^verify: Service converged$/m);
  });

  it("service ls shows 3/3", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: no service was created");
    const out = ok(await run("service", "ls"));
    expect(out).toMatch(/^ID\s+NAME\s+MODE\s+REPLICAS\s+IMAGE\s+PORTS$/m);
    expect(out).toMatch(/^[0-9a-z]{12}\s+web\s+replicated\s+3\/3\s+shoal-test\/busybox:1$/m);
  });

  it("service scale web=5 converges, service ps lists five running tasks", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: no service was created");
    const out = ok(await run("service", "scale", "web=5"));
    expect(out).toContain("web scaled to 5");
    expect(out).toContain("overall progress: 5 out of 5 tasks");
    const ps = ok(await run("service", "ps", "web"));
    expect(ps).toMatch(/^ID\s+NAME\s+IMAGE\s+NODE\s+DESIRED STATE\s+CURRENT STATE\s+ERROR\s+PORTS$/m);
    for (const slot of [1, 2, 3, 4, 5])
      expect(ps).toMatch(new RegExp(`^\\S+\\s+web\\.${slot}\\s+.*Running\\s+Running `, "m"));
    expect(ok(await run("service", "ls", "--format", "json"))).toContain('"name": "web"');
  });

  it("a service whose image is missing fails with the reason and exit code 1", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: tasks cannot run");
    const r = await run(
      "service",
      "create",
      "--name",
      "broken",
      "--restart-delay",
      "100ms",
      "shoal-test/missing:1",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: task 1\/1 failed 3 times: /m);
    ok(await run("service", "rm", "broken"));
  });

  it("stack deploy converges and stack ps lists its tasks", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: tasks cannot run");
    const file = join(root, "stack.yml");
    await writeFile(
      file,
      `services:\n  app:\n    image: ${IMAGE}\n    command: sleep 3600\n    deploy:\n      replicas: 2\n`,
    );
    const out = ok(await run("stack", "deploy", "-c", file, "demo"));
    expect(out).toContain("Creating network demo_default");
    expect(out).toContain("Creating service demo_app");
    expect(out).toContain("overall progress: 2 out of 2 tasks");
    expect(ok(await run("stack", "ls"))).toMatch(/^demo\s+1$/m);
    const ps = ok(await run("stack", "ps", "demo"));
    expect(ps).toMatch(/demo_app\.1\s+.*Running\s+Running /);
    expect(ps).toMatch(/demo_app\.2\s+.*Running\s+Running /);
  });

  it("service logs prints the task's output with docker's name.slot.id@node prefix", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: tasks cannot run");
    ok(
      await run(
        "service",
        "create",
        "-q",
        "--name",
        "hello",
        "--",
        IMAGE,
        "sh",
        "-c",
        "echo hello-from-shoal; sleep 3600",
      ),
    );
    const line = /^hello\.1\.[0-9a-z]{12}@\S+ +\| hello-from-shoal$/m;
    let out = "";
    // The agent's log stream starts with the task: poll briefly until the line is there.
    for (let attempt = 0; attempt < 20 && !line.test(out); attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 500));
      out = ok(await run("service", "logs", "hello"));
    }
    expect(out).toMatch(line);
    ok(await run("service", "rm", "hello"));
  });

  it("service rm and stack rm remove what was made", async (ctx) => {
    if (!tasksCanRun) ctx.skip("the node reports no Docker Engine: nothing was created");
    expect(ok(await run("service", "rm", "web")).trim()).toBe("web");
    const out = ok(await run("stack", "rm", "demo"));
    expect(out).toContain("Removing service demo_app");
    expect(out).toContain("Removing network demo_default");
    expect(ok(await run("service", "ls", "-q")).trim()).toBe("");
  });

  it("detach returns at once; the network and secret verbs work", async () => {
    ok(await run("network", "create", "-d", "overlay", "--subnet", "10.9.0.0/24", "backend"));
    expect(ok(await run("network", "ls"))).toMatch(/^[0-9a-z]{12}\s+backend\s+overlay\s+swarm$/m);
    const secretFile = join(root, "pw.txt");
    await writeFile(secretFile, "s3cret");
    ok(await run("secret", "create", "db_pass", secretFile));
    expect(ok(await run("secret", "inspect", "db_pass"))).not.toContain("s3cret");
    const out = ok(
      await run(
        "service",
        "create",
        "--detach",
        "--name",
        "api",
        "--network",
        "backend",
        "--secret",
        "db_pass",
        IMAGE,
        "sleep",
        "60",
      ),
    );
    expect(out.trim()).toMatch(/^[0-9a-z]{25}$/);
    ok(await run("service", "rm", "api"));
    ok(await run("secret", "rm", "db_pass"));
  });
});
