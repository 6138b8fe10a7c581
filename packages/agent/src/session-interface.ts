import type { Config, Secret, Task, TaskStatus } from "@shoal/store";

/** What the agent needs to know about a task's service (swarm sends its annotations with the task). */
export interface ServiceInfo {
  id: string;
  name: string;
  /** The service's labels; `com.docker.stack.namespace` marks the stack it belongs to. */
  labels: Readonly<Record<string, string>>;
}

/** One task given to this node, with the service facts its container needs. */
export interface TaskAssignment {
  task: Task;
  service: ServiceInfo;
}

export type AssignmentChange =
  | { action: "update"; assignment: TaskAssignment }
  | { action: "remove"; taskId: string };

/** A secret (data included) or config that a task assigned to this node references. */
export type TaskFileObject = { kind: "secret"; object: Secret } | { kind: "config"; object: Config };

export type TaskFileChange =
  | { action: "update"; file: TaskFileObject }
  | { action: "remove"; kind: TaskFileObject["kind"]; id: string };

/**
 * The dispatcher's assignment stream for this node. A session starts with a complete set; after it,
 * incremental changes follow with sequence numbers one apart. A new session starts with a complete
 * set again. Secrets and configs come with the tasks that reference them (absent: none).
 */
export type AssignmentMessage =
  | {
      type: "complete";
      sequence: number;
      assignments: readonly TaskAssignment[];
      files?: readonly TaskFileObject[];
    }
  | {
      type: "incremental";
      sequence: number;
      changes: readonly AssignmentChange[];
      fileChanges?: readonly TaskFileChange[];
    };

/** Implemented by the session with the dispatcher. */
export interface AssignmentSource {
  /**
   * Yields the assignment stream until `signal` aborts or the session ends (then the iterable
   * finishes or throws, and the agent calls `assignments` again after a pause). The first message
   * of every call must be `complete`.
   */
  assignments(signal: AbortSignal): AsyncIterable<AssignmentMessage>;
}

export interface TaskStatusUpdate {
  taskId: string;
  status: TaskStatus;
}

/** Implemented by the session with the dispatcher. */
export interface StatusReporter {
  /**
   * Sends a batch of status updates (at most `statusBatchMax`, one per task, each the latest known).
   * Rejects when the batch could not be delivered; the agent retries it with backoff, merged with
   * newer updates.
   */
  reportTaskStatuses(updates: readonly TaskStatusUpdate[], signal: AbortSignal): Promise<void>;
}
