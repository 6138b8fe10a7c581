/**
 * Autolock on a real node process over its HTTP API: `swarm init --autolock` shows the unlock
 * key once; the Raft WAL and snapshots on disk never hold a service's name; after a restart the
 * manager is locked (every call but unlock/status answers swarm's message), a wrong key is
 * refused, the right one resumes it with its services; a rotated key unlocks the next restart;
 * with autolock switched off a restart needs no key.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiCallError, type ApiCredentials, apiMutate, apiQuery } from "./api-call.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";

const SERVICE = "autolock-secret-service";
const LOCKED =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "shoal swarm unlock" to unlock it.';
const UNLOCK_KEY = /^SWMKEY-1-[A-Za-z0-9+/]{43}$/;

let root: string;
let daemon: DaemonProcess;
let base: string;
let admin: ApiCredentials;

async function failure(call: Promise<unknown>): Promise<ApiCallError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiCallError)) throw new Error(`expected an API error, got ${String(error)}`);
  return error;
}

/** Every byte of the Raft WAL segments and snapshot files. */
async function raftBytes(): Promise<Buffer> {
  const files: string[] = [];
  for (const sub of ["wal", "snap"]) {
    const dir = join(daemon.dataDir, "raft", sub);
    for (const name of await readdir(dir)) files.push(join(dir, name));
  }
  return Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
}

const dataKeyFile = () => readFile(join(daemon.dataDir, "raft-data-key.json"), "utf8");
const nodeKeyFile = () => readFile(join(daemon.dataDir, "certificates", "swarm-node.key"), "utf8");
const status = () => apiQuery<{ swarm: string }>(base, "swarm.status");
const serviceNames = async () =>
  (await apiQuery<{ items: { spec: { name: string } }[] }>(base, "services.list", {}, admin)).items.map(
    (s) => s.spec.name,
  );

async function restart(): Promise<void> {
  await daemon.stop();
  await daemon.restart();
}

/** Both the data key and the TLS key encrypted (sealed) on disk, or both plain. */
async function keysOnDisk(): Promise<"sealed" | "plain" | "mixed"> {
  const sealedData = (await dataKeyFile()).includes("sealedDataKey");
  const sealedTls = (await nodeKeyFile()).includes("ENCRYPTED PRIVATE KEY");
  return sealedData && sealedTls ? "sealed" : !sealedData && !sealedTls ? "plain" : "mixed";
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-autolock-"));
  daemon = await DaemonProcess.start(root, "locked1", { api: true });
  base = daemon.apiUrl!;
}, 60_000);

afterAll(async () => {
  await daemon?.kill();
  await rm(root, { recursive: true, force: true });
});

describe("autolock on a manager process", () => {
  let unlockKey: string;

  it("swarm init --autolock shows the unlock key once; the Raft data on disk is encrypted", async () => {
    const init = await apiMutate<{ unlockKey?: string }>(base, "swarm.init", {
      autolock: true,
      admin: { name: "admin", password: "correct horse" },
    });
    expect(init.unlockKey).toMatch(UNLOCK_KEY);
    unlockKey = init.unlockKey!;
    const res = await fetch(`${base}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "admin", password: "correct horse" }),
    });
    admin = { cookie: res.headers.getSetCookie()[0]?.split(";")[0] ?? "" };
    expect(await apiQuery(base, "swarm.unlockKey", undefined, admin)).toEqual({ unlockKey });
    expect(await keysOnDisk()).toBe("sealed");

    await apiMutate(
      base,
      "services.create",
      {
        spec: {
          name: SERVICE,
          mode: { replicated: { replicas: 0 } },
          taskTemplate: { containerSpec: { image: "shoal-test/busybox:1" } },
        },
      },
      admin,
    );
    expect(await serviceNames()).toContain(SERVICE);
    const bytes = await raftBytes();
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes(SERVICE)).toBe(false);
    expect(bytes.includes("correct horse")).toBe(false);
  }, 60_000);

  it("after a restart the manager is locked until the right key is given", async () => {
    await restart();
    expect((await status()).swarm).toBe("locked");
    const refused = await failure(apiQuery(base, "services.list", {}, admin));
    expect(refused.message).toBe(LOCKED);
    expect((await failure(apiQuery(base, "swarm.inspect", undefined, admin))).message).toBe(LOCKED);

    const wrong = `SWMKEY-1-${randomBytes(32).toString("base64").replace(/=+$/, "")}`;
    expect((await failure(apiMutate(base, "swarm.unlock", { key: wrong }))).message).toMatch(/invalid key/);
    expect((await failure(apiMutate(base, "swarm.unlock", { key: "SWMKEY-1-short" }))).message).toMatch(
      /invalid key/,
    );
    expect((await status()).swarm).toBe("locked");

    await apiMutate(base, "swarm.unlock", { key: unlockKey });
    expect((await status()).swarm).toBe("active");
    expect(
      await eventually(async () => (await serviceNames()).includes(SERVICE), "the service after unlock"),
    ).toBe(true);
    expect((await failure(apiMutate(base, "swarm.unlock", { key: unlockKey }))).message).toMatch(
      /not locked/,
    );
  }, 90_000);

  it("a rotated key unlocks the next restart", async () => {
    const before = await dataKeyFile();
    const { unlockKey: rotated } = await apiMutate<{ unlockKey: string }>(
      base,
      "swarm.rotateUnlockKey",
      undefined,
      admin,
    );
    expect(rotated).toMatch(UNLOCK_KEY);
    expect(rotated).not.toBe(unlockKey);
    expect(await apiQuery(base, "swarm.unlockKey", undefined, admin)).toEqual({ unlockKey: rotated });
    await eventually(
      async () => (await dataKeyFile()) !== before,
      "the data key re-encrypted with the new key",
    );

    await restart();
    expect((await status()).swarm).toBe("locked");
    expect((await failure(apiMutate(base, "swarm.unlock", { key: unlockKey }))).message).toMatch(
      /invalid key/,
    );
    await apiMutate(base, "swarm.unlock", { key: rotated });
    expect(
      await eventually(async () => (await serviceNames()).includes(SERVICE), "the service after unlock"),
    ).toBe(true);
  }, 90_000);

  it("with autolock switched off a restart needs no key, and the Raft data stays encrypted", async () => {
    await apiMutate(base, "swarm.update", { autoLockManagers: false }, admin);
    await eventually(async () => (await keysOnDisk()) === "plain", "the keys stored plain");
    expect((await failure(apiQuery(base, "swarm.unlockKey", undefined, admin))).message).toMatch(
      /no unlock key is set/,
    );

    await restart();
    expect((await status()).swarm).toBe("active");
    expect(
      await eventually(async () => (await serviceNames()).includes(SERVICE), "the service after restart"),
    ).toBe(true);
    expect((await raftBytes()).includes(SERVICE)).toBe(false);

    await apiMutate(base, "swarm.update", { autoLockManagers: true }, admin);
    await eventually(async () => (await keysOnDisk()) === "sealed", "the keys encrypted again");
    await restart();
    expect((await status()).swarm).toBe("locked");
  }, 90_000);
});
