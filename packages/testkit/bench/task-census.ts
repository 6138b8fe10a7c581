/**
 * Counts a store's tasks as they change (one watch), so a benchmark can tell when the cluster
 * converged without scanning 100,000 tasks on every poll: tasks desired RUNNING, those of them
 * RUNNING (on the target image, when one is set), and tasks asked to stop that have not stopped.
 */
import { type Store, type Task, TaskState } from "@shoal/store";

interface Row {
  readonly desired: TaskState;
  readonly state: TaskState;
  readonly image: string;
}

export interface Census {
  readonly desired: number;
  readonly running: number;
  readonly stopping: number;
}

export class TaskCensus {
  private readonly rows = new Map<string, Row>();
  private readonly stopper = new AbortController();
  private image: string | undefined;
  private counts = { desired: 0, running: 0, stopping: 0 };

  constructor(store: Store) {
    const { snapshot, changes } = store.viewAndWatch(this.stopper.signal, ["task"]);
    for (const task of snapshot.tasks.all()) this.put(task);
    snapshot.close();
    void (async () => {
      for await (const batch of changes) {
        for (const c of batch.changes) {
          if (c.kind !== "task") continue;
          if (c.action === "delete") this.remove(c.object.id);
          else this.put(c.object);
        }
      }
    })();
  }

  get current(): Census {
    return { ...this.counts };
  }

  /** Counts only tasks on `image` as running from now on (undefined: any image). */
  setTargetImage(image: string | undefined): void {
    this.image = image;
    this.counts = { desired: 0, running: 0, stopping: 0 };
    for (const row of this.rows.values()) this.add(row, 1);
  }

  stop(): void {
    this.stopper.abort();
  }

  private put(task: Task): void {
    this.remove(task.id);
    const row = {
      desired: task.desiredState,
      state: task.status.state,
      image: task.spec.containerSpec.image,
    };
    this.rows.set(task.id, row);
    this.add(row, 1);
  }

  private remove(id: string): void {
    const old = this.rows.get(id);
    if (old === undefined) return;
    this.rows.delete(id);
    this.add(old, -1);
  }

  private add(row: Row, sign: 1 | -1): void {
    if (row.desired === TaskState.Running) {
      this.counts.desired += sign;
      if (row.state === TaskState.Running && (this.image === undefined || row.image === this.image))
        this.counts.running += sign;
    } else if (row.desired > TaskState.Running && row.state <= TaskState.Running) {
      this.counts.stopping += sign;
    }
  }
}
