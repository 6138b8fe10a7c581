/**
 * Watches a service's slots on whichever manager leads while a test runs, and records every
 * moment a slot held more than one task desired RUNNING (a duplicate). With stop-first updates
 * that must never happen, leader changes included.
 */
import { TaskState } from "@shoal/store";
import type { SimCluster } from "./sim-cluster.ts";

export class SlotMonitor {
  readonly duplicates: string[] = [];
  samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly cluster: SimCluster,
    private readonly serviceId: string,
    intervalMs = 5,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const leader = this.cluster.leader();
    if (leader === undefined) return;
    this.samples++;
    leader.store.view((v) => {
      const seen = new Map<number, string>();
      for (const t of v.tasks.byService(this.serviceId)) {
        if (t.desiredState !== TaskState.Running) continue;
        const other = seen.get(t.slot);
        if (other !== undefined) {
          this.duplicates.push(`v${v.version} slot ${t.slot}: ${other} and ${t.id} (manager ${leader.id})`);
        }
        seen.set(t.slot, t.id);
      }
    });
  }
}
