/**
 * A manager's Raft data-encryption key (DEK) on disk: `raft-data-key.json` in the data directory.
 * The WAL and snapshots are always encrypted with it (AES-256-GCM). Without autolock the file
 * holds the key itself (base64), as swarm does; with autolock it holds the key sealed with the
 * unlock key (AES-256-GCM), and the manager cannot read its Raft data until it is given that key.
 * Switching autolock on or off rewrites only this file (and the TLS key), never the Raft data.
 */
import { randomBytes } from "node:crypto";
import { aesGcmRecordCipher } from "@shoal/raft/wal";
import { z } from "zod";
import { readDataDirJson, removeDataDirFile, writeDataDirJson } from "../data-dir-json.ts";

export const DATA_KEY_BYTES = 32;

const DataKeyFileContent = z.union([
  z.object({ version: z.literal(1), dataKey: z.string().min(1) }),
  z.object({ version: z.literal(1), sealedDataKey: z.string().min(1) }),
]);

export type StoredDataKey = { readonly plain: Uint8Array } | { readonly sealed: Uint8Array };

export function newDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(DATA_KEY_BYTES));
}

export async function readDataKeyFile(path: string): Promise<StoredDataKey | undefined> {
  const c = await readDataDirJson(path, DataKeyFileContent, "Raft data key file");
  if (c === undefined) return undefined;
  return "dataKey" in c
    ? { plain: new Uint8Array(Buffer.from(c.dataKey, "base64")) }
    : { sealed: new Uint8Array(Buffer.from(c.sealedDataKey, "base64")) };
}

/** Writes `dataKey` atomically (0600): sealed with `kek` when given, else as it is. */
export async function writeDataKeyFile(path: string, dataKey: Uint8Array, kek?: Uint8Array): Promise<void> {
  const content = kek
    ? { version: 1, sealedDataKey: Buffer.from(aesGcmRecordCipher(kek).seal(dataKey)).toString("base64") }
    : { version: 1, dataKey: Buffer.from(dataKey).toString("base64") };
  await writeDataDirJson(path, content);
}

/** The data key inside a sealed file; throws (RaftError "wal-locked") when `kek` is not the one. */
export function unsealDataKey(sealed: Uint8Array, kek: Uint8Array): Uint8Array {
  return aesGcmRecordCipher(kek).open(sealed);
}

export async function removeDataKeyFile(path: string): Promise<void> {
  await removeDataDirFile(path);
}
