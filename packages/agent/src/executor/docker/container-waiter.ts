import { AgentError } from "../../errors.ts";
import type { ContainerObservation } from "../executor.ts";
import { isEngineUnreachable } from "./engine-connection.ts";
import type { EngineEvents } from "./engine-events.ts";

/** Decides from a fresh inspection: a value ends the wait, undefined keeps waiting, a throw fails it. */
export type WaitCheck<T> = (observation: ContainerObservation | undefined) => T | undefined;

/**
 * Waits for a container to reach a condition, driven by the engine's events: it inspects once
 * after subscribing (nothing is missed between the two), then again on each event for the
 * container and each events-stream reconnection. Never on a timer.
 */
export class ContainerWaiter {
  constructor(
    private readonly events: EngineEvents,
    private readonly inspect: (containerId: string) => Promise<ContainerObservation | undefined>,
  ) {}

  waitFor<T>(containerId: string, signal: AbortSignal, check: WaitCheck<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let inspecting = false;
      let again = false;
      const finish = () => {
        settled = true;
        unwatch();
        unresync();
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        if (settled) return;
        finish();
        reject(new AgentError("CONTAINER_GONE", "wait abandoned: the task was stopped"));
      };
      const evaluate = async () => {
        if (inspecting) {
          again = true;
          return;
        }
        inspecting = true;
        try {
          do {
            again = false;
            const observation = await this.inspect(containerId);
            if (settled) return;
            const result = check(observation);
            if (result !== undefined) {
              finish();
              resolve(result);
              return;
            }
          } while (again && !settled);
        } catch (err) {
          // The engine went away: the events stream's reconnection will ask again.
          if (!settled && !isEngineUnreachable(err)) {
            finish();
            reject(err);
          }
        } finally {
          inspecting = false;
        }
      };
      const unwatch = this.events.watch(containerId, () => void evaluate());
      const unresync = this.events.onResync(() => void evaluate());
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      void evaluate();
    });
  }
}
