/**
 * Autolock from the command line against a real `shoal daemon`: `swarm init --autolock` prints the
 * unlock key in Docker's words, `swarm unlock-key [-q] [--rotate]`, a restarted daemon refuses
 * commands with the locked message until `swarm unlock` (key on stdin) is given the right key,
 * and `swarm update --autolock=false` makes a restart need no key.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Daemon, freePort, type Result, shoal } from "./shoal-cli.ts";

const LOCKED =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "shoal swarm unlock" to unlock it.';
const KEY = /SWMKEY-1-[A-Za-z0-9+/]{43}/;

let root: string;
let daemon: Daemon;
let env: NodeJS.ProcessEnv;
let host: string;
let daemonArgs: string[];

const run = (...args: string[]) => shoal(args, env);
const unlockWith = (key: string) => shoal(["swarm", "unlock"], env, 60_000, `${key}\n`);
const ok = (r: Result) => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};
const failed = (r: Result) => {
  expect(r.code, r.stdout).not.toBe(0);
  return r.stderr;
};

const dataKeyFile = () => readFile(join(root, "data", "raft-data-key.json"), "utf8");

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function restartDaemon(): Promise<void> {
  await daemon.stop();
  daemon = Daemon.start(daemonArgs, env);
  await daemon.waitForApi(host);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-cli-autolock-"));
  const [apiPort, listenPort] = [await freePort(), await freePort()];
  host = `http://127.0.0.1:${apiPort}`;
  env = { SHOAL_HOST: host, SHOAL_CONFIG: join(root, "config"), DOCKER_HOST: "unix:///nonexistent.sock" };
  daemonArgs = [
    "--data-dir",
    join(root, "data"),
    "--listen-addr",
    `127.0.0.1:${listenPort}`,
    "--api-addr",
    `127.0.0.1:${apiPort}`,
  ];
  daemon = Daemon.start(daemonArgs, env);
  await daemon.waitForApi(host);
}, 90_000);

afterAll(async () => {
  await daemon?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe("swarm autolock from the CLI", { timeout: 90_000 }, () => {
  let key = "";

  it("swarm init --autolock prints the unlock key; swarm unlock-key shows it", async () => {
    const out = ok(
      await run("swarm", "init", "--autolock", "--admin-user", "admin", "--admin-password", "correct-horse"),
    );
    expect(out).toContain("To unlock a swarm manager after it restarts, run the `shoal swarm unlock`");
    key = KEY.exec(out)?.[0] ?? "";
    expect(key).toMatch(KEY);
    expect(ok(await run("swarm", "unlock-key", "-q")).trim()).toBe(key);
    expect(ok(await run("swarm", "unlock-key"))).toContain(`    ${key}\n`);
    ok(await run("service", "create", "--name", "locked-web", "--replicas", "0", "shoal-test/busybox:1"));
  });

  it("a restarted manager is locked until swarm unlock is given the right key", async () => {
    await restartDaemon();
    expect(failed(await run("service", "ls"))).toContain(LOCKED);
    const wrong = `SWMKEY-1-${randomBytes(32).toString("base64").replace(/=+$/, "")}`;
    expect(failed(await unlockWith(wrong))).toContain("invalid key");
    expect(failed(await unlockWith("not-a-key"))).toContain("invalid key");
    ok(await unlockWith(key));
    expect(ok(await run("service", "ls"))).toContain("locked-web");
    expect(failed(await unlockWith(key))).toContain("swarm is not locked");
  });

  it("unlock-key --rotate gives a new key that unlocks the next restart", async () => {
    const before = await dataKeyFile();
    const out = ok(await run("swarm", "unlock-key", "--rotate"));
    expect(out).toContain("Successfully rotated manager unlock key.");
    const rotated = KEY.exec(out)?.[0] ?? "";
    expect(rotated).not.toBe(key);
    // Every manager re-encrypts its keys as it applies the change.
    await until(async () => (await dataKeyFile()) !== before, "the data key re-encrypted");
    await restartDaemon();
    ok(await unlockWith(rotated));
    expect(ok(await run("service", "ls"))).toContain("locked-web");
  });

  it("swarm update --autolock=false: a restart needs no key", async () => {
    expect(ok(await run("swarm", "update", "--autolock=false"))).toContain("Swarm updated.");
    expect(failed(await run("swarm", "unlock-key"))).toContain("no unlock key is set");
    await until(async () => (await dataKeyFile()).includes('"dataKey"'), "the data key stored plain");
    await restartDaemon();
    expect(ok(await run("service", "ls"))).toContain("locked-web");
    const on = ok(await run("swarm", "update", "--autolock=true"));
    expect(on).toContain("Swarm updated.");
    expect(on).toMatch(KEY);
  });
});
