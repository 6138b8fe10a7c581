/**
 * The leader's component set, in start order: the allocator (NEW → PENDING), the scheduler
 * (PENDING → ASSIGNED), then every orchestrator loop. Each factory makes fresh instances for a
 * new leadership term.
 */
import type { Store } from "@shoal/store";
import { Allocator } from "../allocator/allocator.ts";
import type { DispatcherOptions } from "../dispatcher/dispatcher.ts";
import { type DispatcherEndpoint, dispatcherComponent } from "../dispatcher/dispatcher-endpoint.ts";
import type { Clock } from "../loop/clock.ts";
import type { LoopTiming } from "../orchestrator/manager-loop.ts";
import { type Orchestrators, startOrchestrators } from "../orchestrator/orchestrators.ts";
import { Scheduler } from "../scheduler/scheduler.ts";
import type { LeaderComponent, LeaderComponentFactory } from "./leader-component.ts";

export interface LeaderComponentsOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Debounce timing of the orchestrator loops (swarm's 50 ms gap, 1 s max by default). */
  readonly timing?: Partial<LoopTiming>;
  /** Errors a loop recovered from, with the loop's name. */
  readonly onError?: (error: unknown, component: string) => void;
  /** When given, the dispatcher runs first on the leader, plugged into this endpoint (rpc handlers). */
  readonly dispatcher?: { readonly endpoint: DispatcherEndpoint } & Omit<
    DispatcherOptions,
    "clock" | "onError"
  >;
}

export function leaderComponents(options: LeaderComponentsOptions): LeaderComponentFactory[] {
  const { store, clock, timing, onError } = options;
  const debounce: { gapMs?: number; delayMsMax?: number } = {};
  if (timing?.gapMs !== undefined) debounce.gapMs = timing.gapMs;
  if (timing?.delayMsMax !== undefined) debounce.delayMsMax = timing.delayMsMax;
  const dispatcher = options.dispatcher;
  return [
    ...(dispatcher
      ? [
          dispatcherComponent(dispatcher.endpoint, store, {
            ...dispatcher,
            clock,
            onError: (e, what) => onError?.(e, `dispatcher: ${what}`),
          }),
        ]
      : []),
    () => {
      const allocator = new Allocator(store, { clock, debounce, onError: (e) => onError?.(e, "allocator") });
      return { name: "allocator", start: () => allocator.start(), stop: () => allocator.stop() };
    },
    () => {
      const scheduler = new Scheduler(store, {
        clock,
        debounce,
        onError: (e) => onError?.(e, "scheduler"),
      });
      return { name: "scheduler", start: () => scheduler.start(), stop: () => scheduler.stop() };
    },
    () => orchestratorsComponent(() => startOrchestrators({ store, clock, timing, onError })),
  ];
}

function orchestratorsComponent(startAll: () => Orchestrators): LeaderComponent {
  let running: Orchestrators | undefined;
  return {
    name: "orchestrators",
    start: () => {
      running ??= startAll();
    },
    stop: async () => {
      await running?.stop();
    },
  };
}
