import type { Store } from "@shoal/store";
import type { Clock } from "../loop/clock.ts";
import type { LoopTiming } from "./manager-loop.ts";

/** What every orchestrator loop is built with. */
export interface OrchestratorOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Debounce and retry timing of the loop (swarm's 50 ms gap, 1 s max by default). */
  readonly timing?: Partial<LoopTiming>;
  /** Errors a tick threw; the loop goes on (default: none reported). */
  readonly onError?: (error: unknown, loop: string) => void;
}

/** Named limit: tasks changed together in one atomic transaction (pairs of old and new tasks). */
export const TASK_CHANGES_PER_TRANSACTION_MAX = 500;
