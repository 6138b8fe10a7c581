/**
 * Snapshot files: `<dir>/snap/<term>-<index>.snap` (decimal, 16 digits). Layout:
 *
 *   offset 0  8 bytes  magic "SHLSNAP1"
 *   offset 8  u64 LE   bodyBytes
 *   offset 16 u32 LE   CRC-32 of the body
 *   offset 20 ...      body: codec.writeSnapshot (metadata, then data)
 *
 * An encrypted snapshot has the magic "SHLSNAPE" and its body is RecordCipher.seal(that body).
 *
 * Written atomically: a temporary file is written and fsynced, renamed into place, and the
 * directory fsynced. A reader never sees a half-written snapshot under its final name.
 */
import { open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { Reader, readSnapshot, Writer, writeSnapshot } from "../codec.ts";
import { RaftError } from "../errors.ts";
import type { Snapshot } from "../types.ts";
import { noKeyError, type RecordCipher } from "./record-cipher.ts";
import { syncDir } from "./segment-files.ts";

const MAGIC = Buffer.from("SHLSNAP1", "latin1");
const SEALED_MAGIC = Buffer.from("SHLSNAPE", "latin1");
const SNAP_HEADER_BYTES = 20;
const SNAP_RE = /^(\d{16})-(\d{16})\.snap$/;
const TMP_SUFFIX = ".tmp";
let tmpCounter = 0;

export interface SnapshotFile {
  readonly term: number;
  readonly index: number;
  readonly path: string;
}

export function snapshotFileName(term: number, index: number): string {
  return `${String(term).padStart(16, "0")}-${String(index).padStart(16, "0")}.snap`;
}

/** Writes `snap` atomically and durably; returns its path. */
export async function writeSnapshotFile(
  snapDir: string,
  snap: Snapshot,
  cipher?: RecordCipher,
): Promise<string> {
  const w = new Writer(snap.data.length + 256);
  writeSnapshot(w, snap);
  const body = cipher ? cipher.seal(w.finish()) : w.finish();
  const header = Buffer.alloc(SNAP_HEADER_BYTES);
  (cipher ? SEALED_MAGIC : MAGIC).copy(header, 0);
  header.writeBigUInt64LE(BigInt(body.length), 8);
  header.writeUInt32LE(crc32(body), 16);

  const { term, index } = snap.metadata;
  const path = join(snapDir, snapshotFileName(term, index));
  const tmp = `${path}.${process.pid}-${++tmpCounter}${TMP_SUFFIX}`;
  const fh = await open(tmp, "w");
  try {
    await fh.writev([header, body]);
    const { size } = await fh.stat();
    if (size !== header.length + body.length) throw new Error(`short write to ${tmp}: ${size} bytes`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(snapDir);
  return path;
}

/** Reads and verifies a snapshot file. Throws RaftError("wal-corrupt") naming the file and offset. */
export async function readSnapshotFile(file: SnapshotFile, cipher?: RecordCipher): Promise<Snapshot> {
  const buf = await readFile(file.path);
  const fail = (offset: number, what: string): never => {
    throw new RaftError("wal-corrupt", `snapshot file ${file.path} is damaged at byte ${offset}: ${what}`);
  };
  if (buf.length < SNAP_HEADER_BYTES) fail(buf.length, `file is only ${buf.length} bytes`);
  const sealed = buf.subarray(0, 8).equals(SEALED_MAGIC);
  if (!sealed && !buf.subarray(0, 8).equals(MAGIC)) fail(0, "not a snapshot file (bad magic)");
  const bodyBytes = buf.readBigUInt64LE(8);
  if (bodyBytes !== BigInt(buf.length - SNAP_HEADER_BYTES)) {
    fail(8, `header says ${bodyBytes} body bytes, file has ${buf.length - SNAP_HEADER_BYTES}`);
  }
  const stored = buf.subarray(SNAP_HEADER_BYTES);
  if (buf.readUInt32LE(16) !== crc32(stored)) fail(SNAP_HEADER_BYTES, "checksum mismatch");
  if (sealed && !cipher) throw noKeyError(`snapshot file ${file.path}`);
  const body = sealed && cipher ? cipher.open(stored) : stored;
  let snap: Snapshot;
  try {
    const r = new Reader(body);
    snap = readSnapshot(r);
    r.end();
  } catch (err) {
    return fail(SNAP_HEADER_BYTES, `undecodable body (${(err as Error).message})`);
  }
  if (snap.metadata.term !== file.term || snap.metadata.index !== file.index) {
    fail(
      SNAP_HEADER_BYTES,
      `holds term ${snap.metadata.term} index ${snap.metadata.index}, not what its name says`,
    );
  }
  return { metadata: snap.metadata, data: new Uint8Array(snap.data) };
}

/** Snapshot files in `snapDir`, newest (highest index, then term) first. */
export async function listSnapshotFiles(snapDir: string): Promise<SnapshotFile[]> {
  const files: SnapshotFile[] = [];
  for (const name of await readdir(snapDir)) {
    const m = SNAP_RE.exec(name);
    if (m) files.push({ term: Number(m[1]), index: Number(m[2]), path: join(snapDir, name) });
  }
  return files.sort((a, b) => b.index - a.index || b.term - a.term);
}

/** Removes temporary files left by a crash during writeSnapshotFile; returns their names. */
export async function removeSnapshotTmpFiles(snapDir: string): Promise<string[]> {
  const stale = (await readdir(snapDir)).filter((n) => n.endsWith(TMP_SUFFIX));
  for (const name of stale) await unlink(join(snapDir, name));
  if (stale.length > 0) await syncDir(snapDir);
  return stale;
}
