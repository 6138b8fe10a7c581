/** What a log subscription asks for and what it delivers (the broker's public shapes). */

/** Which tasks' logs, and how: docker's `service logs` options in milliseconds. */
export interface LogRequest {
  /** Every task (with a node) of these services. */
  readonly serviceIds: readonly string[];
  /** And these tasks. */
  readonly taskIds: readonly string[];
  /** Keep streaming new lines until the subscriber cancels. */
  readonly follow: boolean;
  /** Lines from the end of each task's log; undefined = all. */
  readonly tail?: number;
  /** Only lines at or after this time. */
  readonly sinceMs?: number;
}

export interface LogLineMessage {
  readonly kind: "line";
  readonly taskId: string;
  readonly nodeId: string;
  readonly stream: "stdout" | "stderr";
  readonly timestampMs: number;
  /** One line, without its newline. */
  readonly line: string;
}

/** A part of the subscription ended early or could not start (a node went away, say). */
export interface LogWarningMessage {
  readonly kind: "warning";
  readonly nodeId: string;
  readonly message: string;
}

export type LogMessage = LogLineMessage | LogWarningMessage;

/** A subscription's output: batches in time order (per task always; across tasks see log-merge.ts). */
export type LogStream = AsyncIterable<readonly LogMessage[]>;
