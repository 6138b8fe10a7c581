import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNodeCredentials, writeNodeCredentials } from "@shoal/ca";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedSwarm } from "../swarm-bootstrap.ts";
import { ManagerKeys } from "./manager-keys.ts";

let root: string;
let paths: { dataKeyFile: string; certificates: string };
let credentials: { certChainPem: string; keyPem: string };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "shoal-manager-keys-"));
  paths = { dataKeyFile: join(root, "raft-data-key.json"), certificates: join(root, "certificates") };
  const seed = await seedSwarm();
  credentials = { certChainPem: seed.certChainPem, keyPem: seed.keyPem };
  await writeNodeCredentials(paths.certificates, credentials);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const writeNodeKey = (encryption: { kek?: Uint8Array | undefined }) =>
  writeNodeCredentials(paths.certificates, credentials, encryption);

describe("a manager's keys at rest", () => {
  it("makes a plain data key on first use, and the same key opens the data after a restart", async () => {
    const keys = new ManagerKeys(paths);
    expect(await keys.isLocked()).toBe(false);
    const sealed = (await keys.walCipher()).seal(Buffer.from("raft entry"));
    expect((await stat(paths.dataKeyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.dataKeyFile, "utf8")).toContain('"dataKey"');
    const again = new ManagerKeys(paths);
    expect(await again.isLocked()).toBe(false);
    expect(Buffer.from((await again.walCipher()).open(sealed)).toString()).toBe("raft entry");
  });

  it("under a key-encrypting key both files are sealed; only that key unlocks them", async () => {
    const keys = new ManagerKeys(paths);
    const sealed = (await keys.walCipher()).seal(Buffer.from("raft entry"));
    const kek = randomBytes(32);
    await keys.protectWith(kek, writeNodeKey);
    expect(await readFile(paths.dataKeyFile, "utf8")).toContain('"sealedDataKey"');
    await expect(readNodeCredentials(paths.certificates)).rejects.toMatchObject({ code: "KEY_LOCKED" });

    const restarted = new ManagerKeys(paths);
    expect(await restarted.isLocked()).toBe(true);
    await expect(restarted.walCipher()).rejects.toThrow(/unlock the node first/);
    await expect(restarted.keyFileDecryption()).rejects.toThrow(/unlock the node first/);
    expect(await restarted.unlock(randomBytes(32))).toBe(false);
    expect(await restarted.isLocked()).toBe(true);
    expect(await restarted.unlock(kek)).toBe(true);
    expect(await restarted.isLocked()).toBe(false);
    expect(Buffer.from((await restarted.walCipher()).open(sealed)).toString()).toBe("raft entry");
    // The TLS key is encrypted with the data key, which the KEK seals: a rotation rewrites one file.
    const tlsKeyBefore = await readFile(join(paths.certificates, "swarm-node.key"), "utf8");
    const rotated = randomBytes(32);
    await restarted.protectWith(rotated, async () => {});
    const afterRotation = new ManagerKeys(paths);
    expect(await afterRotation.unlock(kek)).toBe(false);
    expect(await afterRotation.unlock(rotated)).toBe(true);
    expect(await readFile(join(paths.certificates, "swarm-node.key"), "utf8")).toBe(tlsKeyBefore);
    expect(Buffer.from((await afterRotation.walCipher()).open(sealed)).toString()).toBe("raft entry");

    await restarted.protectWith(undefined, writeNodeKey);
    expect(await new ManagerKeys(paths).isLocked()).toBe(false);
    expect(await readNodeCredentials(paths.certificates)).toEqual(credentials);
  });

  it("forget drops the data key (a demoted manager keeps none)", async () => {
    const keys = new ManagerKeys(paths);
    await keys.walCipher();
    await keys.protectWith(randomBytes(32), writeNodeKey);
    await keys.forget();
    await expect(stat(paths.dataKeyFile)).rejects.toMatchObject({ code: "ENOENT" });
    expect(keys.keyFileEncryption()).toEqual({});
  });
});
