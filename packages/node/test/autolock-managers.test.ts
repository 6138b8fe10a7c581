/**
 * Autolock across three manager processes and a worker: every manager encrypts its keys with the
 * cluster's unlock key; a manager stopped while the key rotates comes back locked under the old
 * key, unlocks with it (the new one is refused) and then re-encrypts with the new key, so its
 * next restart takes the new key only. The worker restarts without a key.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiCallError, apiMutate } from "./api-call.ts";
import { DaemonProcess, eventually } from "./daemon-process.ts";

let root: string;
const daemons: DaemonProcess[] = [];
let a: DaemonProcess;
let b: DaemonProcess;
let c: DaemonProcess;
let worker: DaemonProcess;

const dataKeyFile = (d: DaemonProcess) => readFile(join(d.dataDir, "raft-data-key.json"), "utf8");
const nodeKeyFile = (d: DaemonProcess) => readFile(join(d.dataDir, "certificates", "swarm-node.key"), "utf8");
const sealed = async (d: DaemonProcess) =>
  (await dataKeyFile(d)).includes("sealedDataKey") &&
  (await nodeKeyFile(d)).includes("ENCRYPTED PRIVATE KEY");
const unlock = (d: DaemonProcess, key: string) => apiMutate(d.apiUrl!, "swarm.unlock", { key });

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiCallError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.message;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-autolock-managers-"));
  const started = await Promise.all(
    ["m1", "m2", "m3", "w1"].map((name) => DaemonProcess.start(root, name, { api: true })),
  );
  daemons.push(...started);
  [a, b, c, worker] = started as [DaemonProcess, DaemonProcess, DaemonProcess, DaemonProcess];
}, 90_000);

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.kill()));
  await rm(root, { recursive: true, force: true });
});

describe("autolock with several managers", () => {
  let firstKey = "";

  it("every manager encrypts its keys with the unlock key; the worker does not", async () => {
    const init = await a.call<{ unlockKey?: string }>("swarm/init", {
      advertiseAddr: a.addr,
      autolock: true,
    });
    firstKey = init.unlockKey ?? "";
    expect(firstKey).toMatch(/^SWMKEY-1-/);
    const managerToken = (await a.control<{ token: string }>("swarm.joinToken", { role: "manager" })).token;
    const workerToken = (await a.control<{ token: string }>("swarm.joinToken", { role: "worker" })).token;
    await b.call("swarm/join", { token: managerToken, remoteAddr: a.addr });
    await c.call("swarm/join", { token: managerToken, remoteAddr: a.addr });
    await worker.call("swarm/join", { token: workerToken, remoteAddr: a.addr });
    for (const m of [a, b, c]) await eventually(() => sealed(m), `${m.name}'s keys encrypted`);
    expect(await nodeKeyFile(worker)).not.toContain("ENCRYPTED");
    await expect(dataKeyFile(worker)).rejects.toMatchObject({ code: "ENOENT" });
  }, 120_000);

  it("a manager stopped during a rotation unlocks with the old key, then moves to the new one", async () => {
    await c.stop();
    const before = { a: await dataKeyFile(a), b: await dataKeyFile(b) };
    const { unlockKey: newKey } = await a.control<{ unlockKey: string }>("cluster.rotateUnlockKey", {});
    expect(newKey).not.toBe(firstKey);
    await eventually(async () => (await dataKeyFile(a)) !== before.a, "m1 re-encrypted");
    await eventually(async () => (await dataKeyFile(b)) !== before.b, "m2 re-encrypted");

    await c.restart();
    expect((await c.info()).swarm).toBe("locked");
    expect(await refusal(unlock(c, newKey))).toMatch(/invalid key/);
    const stale = await dataKeyFile(c);
    await unlock(c, firstKey);
    expect((await c.info()).swarm).toBe("active");
    await eventually(async () => (await dataKeyFile(c)) !== stale, "m3 re-encrypted with the new key");

    await c.stop();
    await c.restart();
    expect((await c.info()).swarm).toBe("locked");
    expect(await refusal(unlock(c, firstKey))).toMatch(/invalid key/);
    await unlock(c, newKey);
    await eventually(
      async () => (await c.info()).raftId > 0 && (await c.info()).leaderRaftId > 0,
      "m3 back in Raft",
    );
  }, 120_000);

  it("workers are never locked", async () => {
    await worker.stop();
    await worker.restart();
    expect((await worker.info()).swarm).toBe("active");
  }, 60_000);
});
