import { StoreError } from "./errors.ts";
import type { Operation } from "./operations.ts";
import { TransactionEncoder } from "./transaction-codec.ts";

export interface BatchFailure {
  /** A refusal, or "proposal-failed" with the proposer's error as `cause` (no leader, stopped...). */
  readonly error: StoreError;
  /** Which operations did not commit, in the order they were made. */
  readonly firstOp: number;
  readonly opCount: number;
}

export interface ChunkedOutcome {
  /** Versions of the transactions that committed, in proposal order. */
  readonly versions: number[];
  readonly failures: BatchFailure[];
  readonly transactionCount: number;
}

export interface ChunkingOptions {
  readonly timeMs: number;
  readonly actor: string | undefined;
  readonly proposalBytesMax: number;
  readonly proposalsInFlightMax: number;
  /** Proposes one encoded transaction; resolves with its version, rejects with why not. */
  readonly propose: (data: Uint8Array) => Promise<number>;
}

/**
 * Encodes operations into transactions of at most proposalBytesMax bytes and proposes each as
 * soon as it is encoded, keeping at most proposalsInFlightMax in flight and yielding to the event
 * loop between them: the first tasks of a large batch are being replicated while later ones are
 * still being encoded. Each transaction commits or fails on its own.
 */
export async function proposeInChunks(
  ops: readonly Operation[],
  options: ChunkingOptions,
): Promise<ChunkedOutcome> {
  const versions: (number | undefined)[] = [];
  const failures: BatchFailure[] = [];
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  let transactionCount = 0;
  while (next < ops.length) {
    const encoder = new TransactionEncoder(options.timeMs, options.actor);
    const firstOp = next;
    while (next < ops.length && encoder.tryAdd(ops[next] as Operation, options.proposalBytesMax)) next++;
    const data = encoder.finish();
    const seq = transactionCount++;
    const opCount = next - firstOp;
    const proposal = (
      data.length > options.proposalBytesMax
        ? Promise.reject(new StoreError("transaction-too-large", "one object is over the proposal limit"))
        : options.propose(data)
    ).then(
      (version) => {
        versions[seq] = version;
      },
      (reason: unknown) => {
        failures.push({ error: asStoreError(reason), firstOp, opCount });
      },
    );
    inFlight.add(proposal);
    void proposal.finally(() => inFlight.delete(proposal));
    if (inFlight.size >= options.proposalsInFlightMax) await Promise.race(inFlight);
    else await yieldToEventLoop();
  }
  await Promise.all(inFlight);
  failures.sort((a, b) => a.firstOp - b.firstOp);
  return { versions: versions.filter((v): v is number => v !== undefined), failures, transactionCount };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function asStoreError(reason: unknown): StoreError {
  if (reason instanceof StoreError) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  return new StoreError("proposal-failed", `the proposal did not commit: ${message}`, { cause: reason });
}
