/**
 * How simulated agents report task status until the real dispatcher exists: reports are
 * coalesced per task (the latest state wins), then written as store transactions through the
 * current leader, a bounded number of reports per transaction and transactions in flight. Each
 * write re-reads the task and only moves it forward, so a report repeated after a lost reply or a
 * leader change is harmless. Refused or failed writes are retried after `retryDelayMs`.
 */
import { type Store, StoreError, type Task, TaskState } from "@shoal/store";

export interface StatusReport {
  readonly taskId: string;
  readonly state: TaskState;
  readonly message: string;
  readonly timestampMs: number;
  readonly exitCode?: number;
  readonly err?: string;
}

export interface StatusReporterLimits {
  /** Wait this long after the first report before writing (so reports batch). */
  readonly batchDelayMs: number;
  /** Reports written in one transaction (halved while a transaction is too large). */
  readonly reportsPerTransactionMax: number;
  /** Transactions proposed and not yet applied. */
  readonly transactionsInFlightMax: number;
  /** Wait after a refused or failed write before trying again. */
  readonly retryDelayMs: number;
}

export const DEFAULT_STATUS_REPORTER_LIMITS: StatusReporterLimits = Object.freeze({
  batchDelayMs: 20,
  reportsPerTransactionMax: 1_000,
  transactionsInFlightMax: 4,
  retryDelayMs: 50,
});

export class StatusReporter {
  private readonly pending = new Map<string, StatusReport>();
  private readonly limits: StatusReporterLimits;
  private reportsPerTransaction: number;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Counters for tests and benchmarks. */
  readonly stats = { reports: 0, written: 0, transactions: 0, refused: 0, failed: 0 };

  constructor(
    private readonly target: () => Store | undefined,
    limits: Partial<StatusReporterLimits> = {},
  ) {
    this.limits = { ...DEFAULT_STATUS_REPORTER_LIMITS, ...limits };
    for (const [k, v] of Object.entries(this.limits)) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`status reporter: ${k} must be >= 0`);
    }
    if (this.limits.reportsPerTransactionMax < 1 || this.limits.transactionsInFlightMax < 1) {
      throw new RangeError("status reporter: per-transaction and in-flight limits must be >= 1");
    }
    this.reportsPerTransaction = this.limits.reportsPerTransactionMax;
  }

  /** Transactions proposed and not settled. */
  get transactionsInFlight(): number {
    return this.inFlight;
  }

  /** Reports waiting to be written. */
  get backlog(): number {
    return this.pending.size;
  }

  report(r: StatusReport): void {
    if (this.stopped) return;
    this.stats.reports++;
    const had = this.pending.get(r.taskId);
    if (had !== undefined && had.state > r.state) return;
    this.pending.delete(r.taskId);
    this.pending.set(r.taskId, r);
    if (this.pending.size >= this.reportsPerTransaction) this.flush();
    else this.arm(this.limits.batchDelayMs);
  }

  /** Writes what can be written now (also called when a new leader is attached). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (!this.stopped && this.pending.size > 0 && this.inFlight < this.limits.transactionsInFlightMax) {
      const store = this.target();
      if (store === undefined) return;
      const chunk: StatusReport[] = [];
      for (const r of this.pending.values()) {
        chunk.push(r);
        if (chunk.length >= this.reportsPerTransaction) break;
      }
      for (const r of chunk) this.pending.delete(r.taskId);
      this.inFlight++;
      void this.write(store, chunk).finally(() => {
        this.inFlight--;
        if (this.pending.size >= this.reportsPerTransaction) this.flush();
        else if (this.pending.size > 0) this.arm(this.limits.batchDelayMs);
      });
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }

  private async write(store: Store, chunk: readonly StatusReport[]): Promise<void> {
    try {
      const { value } = await store.update((tx) => {
        let n = 0;
        for (const r of chunk) {
          const task = tx.tasks.get(r.taskId);
          if (task === undefined || task.status.state >= r.state) continue;
          tx.update("task", withStatus(task, r));
          n++;
        }
        return n;
      });
      this.stats.transactions++;
      this.stats.written += value;
    } catch (error) {
      if (error instanceof StoreError) this.stats.refused++;
      else this.stats.failed++;
      if (error instanceof StoreError && error.code === "transaction-too-large") {
        this.reportsPerTransaction = Math.max(1, Math.floor(this.reportsPerTransaction / 2));
      }
      // Put them back unless a later state for the task is waiting; then retry later. (The one
      // waiting may be older: a retry of a report this chunk superseded.)
      for (const r of chunk) {
        const waiting = this.pending.get(r.taskId);
        if (waiting === undefined || waiting.state < r.state) this.pending.set(r.taskId, r);
      }
      await new Promise((resolve) => setTimeout(resolve, this.limits.retryDelayMs));
    }
  }

  private arm(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delayMs);
  }
}

function withStatus(task: Task, r: StatusReport): Task {
  const status: Task["status"] = { state: r.state, message: r.message, timestampMs: r.timestampMs };
  if (r.exitCode !== undefined) status.exitCode = r.exitCode;
  if (r.err !== undefined) status.err = r.err;
  if (task.status.containerId !== undefined || r.state >= TaskState.Starting) {
    status.containerId = task.status.containerId ?? `sim-${task.id.slice(0, 12)}`;
  }
  return { ...task, status };
}
