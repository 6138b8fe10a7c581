/** Shared fixtures for the WAL tests: temp dirs, entries, a quiet logger that records warnings. */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Entry, EntryType, type Logger, type Snapshot } from "../types.ts";

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "shoal-wal-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function entry(index: number, term = 1, text = `e${index}`): Entry {
  return { index, term, type: EntryType.Normal, data: new TextEncoder().encode(text) };
}

export function entries(from: number, to: number, term = 1): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(entry(i, term));
  return out;
}

export function snapshot(index: number, term: number, text = `state@${index}`): Snapshot {
  const confState = {
    voters: [1, 2, 3],
    learners: [],
    votersOutgoing: [],
    learnersNext: [],
    autoLeave: false,
  };
  return { metadata: { index, term, confState }, data: new TextEncoder().encode(text) };
}

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; msg: string; fields?: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger["lines"] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(fields ? { level, msg, fields } : { level, msg });
  };
  return { lines, debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export async function segmentPaths(dir: string): Promise<string[]> {
  return (await readdir(join(dir, "wal"))).sort().map((n) => join(dir, "wal", n));
}

/** Index and term of each entry, for compact assertions. */
export function ids(list: readonly Entry[]): string[] {
  return list.map((e) => `${e.term}/${e.index}`);
}
