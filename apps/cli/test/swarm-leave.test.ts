/**
 * `shoal swarm leave` and `shoal swarm init --force-new-cluster` against a real `shoal daemon`,
 * through its HTTP API: the last manager is refused without --force (Docker's message), a
 * credential-less call is refused once the swarm has users, force-new-cluster keeps the swarm and
 * its users, and `leave --force` leaves.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon, freePort, type Result, shoal } from "./shoal-cli.ts";

let root: string;
let daemon: Daemon;
let env: NodeJS.ProcessEnv;

const run = (...args: string[]) => shoal(args, env);
const ok = (r: Result) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};
const failed = (r: Result) => {
  expect(r.code, r.stdout).toBe(1);
  return r.stderr;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-cli-leave-"));
  const [apiPort, listenPort] = [await freePort(), await freePort()];
  const host = `http://127.0.0.1:${apiPort}`;
  env = { SHOAL_HOST: host, SHOAL_CONFIG: join(root, "config"), DOCKER_HOST: "unix:///nonexistent.sock" };
  daemon = Daemon.start(
    [
      "--data-dir",
      join(root, "data"),
      "--listen-addr",
      `127.0.0.1:${listenPort}`,
      "--api-addr",
      `127.0.0.1:${apiPort}`,
    ],
    env,
  );
  await daemon.waitForApi(host);
  ok(await run("swarm", "init", "--admin-user", "admin", "--admin-password", "correct-horse"));
}, 90_000);

afterAll(async () => {
  await daemon?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe("swarm leave and force-new-cluster through the API", { timeout: 60_000 }, () => {
  it("refuses the last manager without --force, in Docker's words", async () => {
    expect(failed(await run("swarm", "leave"))).toContain(
      "You are attempting to leave the swarm on a node that is participating as a manager. " +
        "Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.",
    );
    expect(ok(await run("node", "ls"))).toMatch(/Leader/);
  });

  it("refuses a caller without an admin's credentials", async () => {
    const anonymous = { ...env, SHOAL_CONFIG: join(root, "no-config") };
    const r = await shoal(["swarm", "leave", "--force"], anonymous);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/log in/);
  });

  it("recovers with --force-new-cluster, keeping the swarm's users", async () => {
    expect(ok(await run("swarm", "init", "--force-new-cluster"))).toMatch(
      /Swarm recovered: current node \([0-9a-z]+\) is the only manager/,
    );
    expect(ok(await run("node", "ls"))).toMatch(/Leader/);
  });

  it("leaves with --force; the node is then in no swarm", async () => {
    expect(ok(await run("swarm", "leave", "--force"))).toContain("Node left the swarm.");
    expect(failed(await run("node", "ls"))).toMatch(/no swarm/);
  });
});
