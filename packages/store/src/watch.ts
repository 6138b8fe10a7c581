import type { ChangeHistory } from "./change-history.ts";
import type { ChangeBatch } from "./changes.ts";
import { StoreError } from "./errors.ts";
import type { ObjectKind } from "./objects/kinds.ts";

export interface WatchOptions {
  /** Deliver every change with a version above this one (the version the caller has seen). */
  readonly fromVersion: number;
  /** Only these kinds (all when absent). Batches left empty by the filter are skipped. */
  readonly kinds?: readonly ObjectKind[];
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
}

/** What a watch needs from the store: the history and a way to wait for the next batch. */
export interface WatchSource {
  readonly history: ChangeHistory;
  /** Bumped by restore: watches from before it must resync. */
  readonly epoch: number;
  /** Resolves at the next applied batch, or when the signal aborts. */
  nextBatch(signal: AbortSignal | undefined): Promise<void>;
}

/**
 * Reads the change history from a position onwards. No per-watcher queue: a watcher is a cursor
 * into the bounded history, so a slow watcher costs nothing until it falls off the end, when it
 * gets StoreError "resync-required" and must start again from viewAndWatch().
 */
export async function* readChanges(
  source: WatchSource,
  /** Where to start and in which epoch, both taken when the watch was asked for (not at first read). */
  start: { readonly seq: number; readonly epoch: number },
  options: WatchOptions,
): AsyncGenerator<ChangeBatch, void, undefined> {
  const kinds = options.kinds === undefined ? undefined : new Set<ObjectKind>(options.kinds);
  const epoch = start.epoch;
  let seq = start.seq;
  while (options.signal?.aborted !== true) {
    if (source.epoch !== epoch) throw resyncRequired("the store was restored from a snapshot");
    if (seq < source.history.oldestSeq) throw resyncRequired("this watcher fell behind the change history");
    const batch = source.history.at(seq);
    if (batch === undefined) {
      await source.nextBatch(options.signal);
      continue;
    }
    seq++;
    if (batch.version <= options.fromVersion) continue;
    const filtered = filterBatch(batch, kinds);
    if (filtered !== undefined) yield filtered;
  }
}

function filterBatch(
  batch: ChangeBatch,
  kinds: ReadonlySet<ObjectKind> | undefined,
): ChangeBatch | undefined {
  if (kinds === undefined) return batch;
  const changes = batch.changes.filter((c) => kinds.has(c.kind));
  if (changes.length === 0) return undefined;
  return changes.length === batch.changes.length ? batch : { ...batch, changes };
}

export function resyncRequired(why: string): StoreError {
  return new StoreError(
    "resync-required",
    `${why}: take a new snapshot with viewAndWatch() and continue from it`,
  );
}
