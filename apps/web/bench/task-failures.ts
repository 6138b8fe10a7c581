/**
 * The benchmark's changes: running tasks end with exit code 1 at a steady rate (a simulated
 * agent reports them FAILED, as a container exiting would), round-robin over the services. A
 * store watch notes when each failure is committed (`Date.now()`) and how many of its service's
 * tasks still run after it: what the dashboard then has to show.
 */
import { type Store, TaskState } from "@shoal/store";
import type { SimulatedAgents } from "@shoal/testkit";

export interface CommittedFailure {
  readonly taskId: string;
  readonly serviceId: string;
  /** Tasks of the service still RUNNING once this failure is committed. */
  readonly runningAfter: number;
  readonly committedAtMs: number;
}

/** Notes every RUNNING → FAILED commit from now until `stop()`. */
export class FailureRecorder {
  readonly committed: CommittedFailure[] = [];
  private readonly stopper = new AbortController();

  constructor(store: Store) {
    const running = new Map<string, number>();
    const { snapshot, changes } = store.viewAndWatch(this.stopper.signal, ["task"]);
    for (const t of snapshot.tasks.all())
      if (t.status.state === TaskState.Running) running.set(t.serviceId, (running.get(t.serviceId) ?? 0) + 1);
    snapshot.close();
    void (async () => {
      for await (const batch of changes) {
        const now = Date.now();
        for (const c of batch.changes) {
          if (c.kind !== "task" || c.old?.status.state !== TaskState.Running) continue;
          if (c.object.status.state === TaskState.Running) continue;
          const left = (running.get(c.object.serviceId) ?? 0) - 1;
          running.set(c.object.serviceId, left);
          this.committed.push({
            taskId: c.object.id,
            serviceId: c.object.serviceId,
            runningAfter: left,
            committedAtMs: now,
          });
        }
      }
    })().catch(() => {});
  }

  stop(): void {
    this.stopper.abort();
  }
}

/** Fails `perSecond` running tasks a second for `durationMs`; resolves with how many it failed. */
export async function failTasksSteadily(
  store: Store,
  agents: SimulatedAgents,
  serviceIds: readonly string[],
  perSecond: number,
  durationMs: number,
): Promise<number> {
  const queues = store.view((v) =>
    serviceIds.map((id) =>
      v.tasks
        .all()
        .filter((t) => t.serviceId === id && t.status.state === TaskState.Running)
        .map((t) => t.id),
    ),
  );
  const t0 = performance.now();
  let done = 0;
  while (performance.now() - t0 < durationMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * perSecond);
    for (; done < due; done++) {
      const taskId = queues[done % queues.length]?.pop();
      if (taskId === undefined || !agents.exitTask(taskId, 1))
        throw new Error(`no running task left to fail in ${serviceIds[done % serviceIds.length]}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done;
}
