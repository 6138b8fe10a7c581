/** What the node tests read back from a node (its store objects as JSON), by their store types. */
export type { Node as NodeRow, Service as ServiceRow, Task as TaskRow } from "@shoal/store";
