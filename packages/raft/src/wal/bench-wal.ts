/**
 * WAL throughput: 256-byte entries saved with mustSync, one at a time vs 64 in flight (group
 * commit). Rounds alternate between the two so a noisy disk hurts both alike; prints medians.
 *
 *   npx tsx packages/raft/src/wal/bench-wal.ts [durationMs=1500] [rounds=3] [--encrypted]
 *
 * `--encrypted` seals every record with AES-256-GCM (aesGcmRecordCipher), as a manager's WAL is;
 * compare it with a run without.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EntryType } from "../types.ts";
import { openWal } from "./open-wal.ts";
import { aesGcmRecordCipher } from "./record-cipher.ts";

const ENTRY_BYTES = 256;
const CONCURRENCY = 64;
const args = process.argv.slice(2).filter((a) => a !== "--encrypted");
const encrypted = process.argv.includes("--encrypted");
const durationMs = Number(args[0] ?? 1500);
const rounds = Number(args[1] ?? 3);

interface Run {
  savesPerSec: number;
  syncsPerSec: number;
  savesPerSync: number;
}

async function run(inFlight: number): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), "shoal-wal-bench-"));
  try {
    const { wal } = await openWal(dir, encrypted ? { cipher: aesGcmRecordCipher(randomBytes(32)) } : {});
    const data = new Uint8Array(ENTRY_BYTES).fill(7);
    const syncs0 = wal.stats.syncs;
    let next = 1;
    const start = performance.now();
    const deadline = start + durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        const index = next++;
        await wal.save(
          { term: 1, vote: 1, commit: index - 1 },
          [{ term: 1, index, type: EntryType.Normal, data }],
          true,
        );
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = (performance.now() - start) / 1000;
    const saves = next - 1;
    const syncs = wal.stats.syncs - syncs0;
    await wal.close();
    return { savesPerSec: saves / seconds, syncsPerSec: syncs / seconds, savesPerSync: saves / syncs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)]! * 10) / 10;
}

const sequential: Run[] = [];
const concurrent: Run[] = [];
for (let r = 0; r < rounds; r++) {
  sequential.push(await run(1));
  concurrent.push(await run(CONCURRENCY));
}
const summary = (runs: Run[]) => ({
  savesPerSec: median(runs.map((x) => x.savesPerSec)),
  syncsPerSec: median(runs.map((x) => x.syncsPerSec)),
  savesPerSync: median(runs.map((x) => x.savesPerSync)),
});
const seq = summary(sequential);
const conc = summary(concurrent);
console.log(
  JSON.stringify(
    {
      entryBytes: ENTRY_BYTES,
      encrypted,
      durationMs,
      rounds,
      sequential: seq,
      [`concurrent${CONCURRENCY}`]: conc,
      speedup: Math.round((conc.savesPerSec / seq.savesPerSec) * 10) / 10,
    },
    null,
    2,
  ),
);
