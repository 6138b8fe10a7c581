/**
 * Runs the leader-only components for as long as this manager leads: on becoming leader it
 * waits until the store holds everything committed (the leader barrier), then starts a fresh
 * instance of every component, in order; on losing leadership (or a new term) it stops them all
 * and waits. Transitions run one at a time, so a quick lose-and-win never overlaps two sets.
 */
import type { LeadershipState } from "../state/leadership.ts";
import type { LeaderComponent, LeaderComponentFactory } from "./leader-component.ts";

/** What the runner needs of the cluster state. */
export interface LeadershipSource {
  readonly leadership: {
    readonly current: LeadershipState;
    subscribe(listener: (state: LeadershipState) => void): () => void;
  };
  /** Resolves once the store applied everything committed before the call; rejects if not leader. */
  leaderBarrier(): Promise<void>;
}

export interface LeaderRunnerOptions {
  /** Wait before trying the barrier again after it failed while still leader. */
  readonly barrierRetryMs?: number;
  /** Told about a barrier or stop that failed (the runner goes on). */
  readonly onError?: (error: unknown, what: string) => void;
  /** Told when the components started or stopped (logs, metrics, tests). */
  readonly onTransition?: (event: { readonly running: boolean; readonly term: number }) => void;
}

export const DEFAULT_BARRIER_RETRY_MS = 100;

export class LeaderRunner {
  private running: { readonly term: number; readonly components: LeaderComponent[] } | undefined;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  private readonly barrierRetryMs: number;

  constructor(
    private readonly source: LeadershipSource,
    private readonly factories: readonly LeaderComponentFactory[],
    private readonly options: LeaderRunnerOptions = {},
  ) {
    this.barrierRetryMs = options.barrierRetryMs ?? DEFAULT_BARRIER_RETRY_MS;
    if (!(this.barrierRetryMs > 0)) throw new RangeError("leader runner: barrierRetryMs must be > 0");
  }

  /** The components are running now (the leader barrier passed and nothing stopped them). */
  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** The names of the running components. */
  get componentNames(): string[] {
    return this.running?.components.map((c) => c.name) ?? [];
  }

  /** Follows leadership from now on. Idempotent. */
  start(): void {
    if (this.unsubscribe || this.stopped) return;
    this.unsubscribe = this.source.leadership.subscribe(() => this.enqueue());
    this.enqueue();
  }

  /** Stops following leadership and stops the components (waits). Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.enqueue();
    await this.queue;
  }

  /** Resolves once every transition asked for so far is done (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private enqueue(): void {
    this.queue = this.queue.then(() => this.reconcile());
  }

  private wantedTerm(): number | undefined {
    const s = this.source.leadership.current;
    return !this.stopped && s.isLeader ? s.term : undefined;
  }

  private async reconcile(): Promise<void> {
    const term = this.wantedTerm();
    if (this.running && this.running.term !== term) await this.stopComponents();
    if (term === undefined || this.running) return;
    if (!(await this.passBarrier(term))) return;
    const components = this.factories.map((make) => make());
    this.running = { term, components };
    for (const c of components) c.start();
    this.options.onTransition?.({ running: true, term });
  }

  /** True once the barrier passed while this manager still leads in `term`. */
  private async passBarrier(term: number): Promise<boolean> {
    while (this.wantedTerm() === term) {
      try {
        await this.source.leaderBarrier();
        return this.wantedTerm() === term;
      } catch (error) {
        if (this.wantedTerm() !== term) return false;
        this.options.onError?.(error, "leader barrier");
        await new Promise((resolve) => setTimeout(resolve, this.barrierRetryMs));
      }
    }
    return false;
  }

  private async stopComponents(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    const results = await Promise.allSettled(running.components.map((c) => c.stop()));
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") this.options.onError?.(r.reason, `stop ${running.components[i]?.name}`);
    }
    this.options.onTransition?.({ running: false, term: running.term });
  }
}
