import type { Task } from "../objects/task.ts";
import type { TaskState } from "../objects/task-state.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createTaskTable(): Table<Task> {
  return new Table<Task>({
    kind: "task",
    indexes: {
      service: (t) => t.serviceId,
      node: (t) => (t.nodeId === "" ? undefined : t.nodeId),
      slot: (t) => (t.slot > 0 ? slotKey(t.serviceId, t.slot) : undefined),
      desiredState: (t) => t.desiredState,
      observedState: (t) => t.status.state,
    },
  });
}

function slotKey(serviceId: string, slot: number): string {
  return `${serviceId}/${slot}`;
}

export class TaskReader extends TableReader<Task> {
  byService(serviceId: string): Task[] {
    return this.find("service", serviceId);
  }

  /** Tasks assigned to the node (unassigned tasks have no node). */
  byNode(nodeId: string): Task[] {
    return this.find("node", nodeId);
  }

  /** Every task in one slot of a replicated service: the current one and its history. */
  bySlot(serviceId: string, slot: number): Task[] {
    return this.find("slot", slotKey(serviceId, slot));
  }

  byDesiredState(state: TaskState): Task[] {
    return this.find("desiredState", state);
  }

  byObservedState(state: TaskState): Task[] {
    return this.find("observedState", state);
  }

  countByService(serviceId: string): number {
    return this.countIn("service", serviceId);
  }

  countByNode(nodeId: string): number {
    return this.countIn("node", nodeId);
  }
}
