import { createPrivateKey, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isNodeKeyEncrypted,
  NODE_CERT_FILE,
  NODE_KEY_FILE,
  readNodeCredentials,
  readRootCaCertificate,
  writeNodeCredentials,
  writeRootCaCertificate,
} from "./key-store.ts";
import { createRootCa } from "./root-ca.ts";
import { issueCredentials } from "./test-fixtures.ts";

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "shoal-ca-")), "certificates");
});
afterEach(async () => {
  await rm(join(dir, ".."), { recursive: true, force: true });
});

describe("node credentials on disk", () => {
  it("round-trips, with the key file 0600 and no temporary files left", async () => {
    const root = await createRootCa();
    const creds = await issueCredentials(root, "node1", "swarm-worker");
    await writeNodeCredentials(dir, creds);
    expect(await readNodeCredentials(dir)).toEqual(creds);
    expect((await stat(join(dir, NODE_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await readdir(dir)).sort()).toEqual([NODE_CERT_FILE, NODE_KEY_FILE].sort());
  });

  it("replaces existing files on renewal", async () => {
    const root = await createRootCa();
    await writeNodeCredentials(dir, await issueCredentials(root, "node1", "swarm-worker"));
    const renewed = await issueCredentials(root, "node1", "swarm-manager");
    await writeNodeCredentials(dir, renewed);
    expect(await readNodeCredentials(dir)).toEqual(renewed);
  });

  it("reports nothing stored as undefined", async () => {
    expect(await readNodeCredentials(dir)).toBeUndefined();
    expect(await readRootCaCertificate(dir)).toBeUndefined();
  });

  it("detects a certificate that does not match the stored key", async () => {
    const root = await createRootCa();
    await writeNodeCredentials(dir, await issueCredentials(root, "node1", "swarm-worker"));
    const other = await issueCredentials(root, "node1", "swarm-worker");
    await writeFile(join(dir, NODE_CERT_FILE), other.certChainPem);
    await expect(readNodeCredentials(dir)).rejects.toMatchObject({ code: "KEY_MISMATCH" });
  });

  it("refuses to store a mismatched pair, and reports a missing half", async () => {
    const root = await createRootCa();
    const a = await issueCredentials(root, "node1", "swarm-worker");
    const b = await issueCredentials(root, "node2", "swarm-worker");
    await expect(
      writeNodeCredentials(dir, { certChainPem: a.certChainPem, keyPem: b.keyPem }),
    ).rejects.toMatchObject({
      code: "KEY_MISMATCH",
    });
    await writeNodeCredentials(dir, a);
    await rm(join(dir, NODE_CERT_FILE));
    await expect(readNodeCredentials(dir)).rejects.toMatchObject({ code: "INVALID_STORED_CREDENTIALS" });
  });

  it("stores the root CA certificate", async () => {
    const root = await createRootCa();
    await writeRootCaCertificate(dir, root.certPem);
    expect(await readRootCaCertificate(dir)).toBe(root.certPem);
    expect(await readFile(join(dir, "swarm-root-ca.crt"), "utf8")).toBe(root.certPem);
  });
});

describe("node key encrypted with a key-encrypting key", () => {
  it("writes an encrypted key that reads back only with the same key", async () => {
    const root = await createRootCa();
    const creds = await issueCredentials(root, "node1", "swarm-manager");
    const kek = randomBytes(32);
    await writeNodeCredentials(dir, creds, { kek });
    const onDisk = await readFile(join(dir, NODE_KEY_FILE), "utf8");
    expect(onDisk).toContain("ENCRYPTED PRIVATE KEY");
    expect(onDisk).not.toContain(creds.keyPem.split("\n")[1]);
    expect(await isNodeKeyEncrypted(dir)).toBe(true);
    const back = await readNodeCredentials(dir, { kek });
    expect(back?.certChainPem).toBe(creds.certChainPem);
    expect(createPrivateKey(back!.keyPem).export({ format: "jwk" })).toEqual(
      createPrivateKey(creds.keyPem).export({ format: "jwk" }),
    );
    await expect(readNodeCredentials(dir)).rejects.toMatchObject({ code: "KEY_LOCKED" });
    await expect(readNodeCredentials(dir, { kek: randomBytes(32) })).rejects.toMatchObject({
      code: "KEY_LOCKED",
    });
    await writeNodeCredentials(dir, creds);
    expect(await isNodeKeyEncrypted(dir)).toBe(false);
    expect(await readNodeCredentials(dir, { kek })).toEqual(creds);
  });
});
