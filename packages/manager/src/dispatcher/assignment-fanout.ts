/**
 * One store watch for every node's assignments. A node's assignments stream subscribes: it gets
 * the complete set from a consistent view and, from the version of that view on, the changes
 * that concern its node, queued per subscription (latest per task) so a slow agent costs one map
 * entry per task. With its tasks a node gets the secrets and configs they reference (`file-references.ts`):
 * each once, before the first task that needs it, and a removal after the last one no longer does.
 * A queue past its bound, or a watch that fell behind the store's history, ends
 * the subscription: the agent opens a new stream, which starts with a complete set again.
 */
import type { AssignmentChange } from "@shoal/rpc";
import { RpcError } from "@shoal/rpc";
import { type ChangeBatch, type ReadView, type Store, StoreError, type Task } from "@shoal/store";
import {
  encodeFileRemoval,
  encodeFileUpdate,
  encodeTaskRemoval,
  encodeTaskUpdate,
  isAssigned,
  type ServiceInfo,
  serviceInfo,
  serviceInfoChanged,
  taskChangeForNodes,
} from "./assignment-changes.ts";
import { type FileKey, FileReferences, fileKey, parseFileKey, taskFileKeys } from "./file-references.ts";

export class AssignmentSubscription {
  // Invariant: at most one queued change per kind and id; `closed` is final.
  private queue = new Map<string, AssignmentChange>();
  private waiter: (() => void) | undefined;
  private closed: Error | undefined;

  constructor(
    readonly nodeId: string,
    /** Store version of the complete set: only later changes are queued. */
    readonly fromVersion: number,
    private readonly queueMax: number,
  ) {}

  push(change: AssignmentChange): void {
    if (this.closed) return;
    const key = `${change.kind}:${change.id}`;
    this.queue.delete(key);
    this.queue.set(key, change);
    if (this.queue.size > this.queueMax) {
      this.close(
        new RpcError(
          "ABORTED",
          `Assignments: more than ${this.queueMax} changes queued; open a new stream to resync`,
        ),
      );
    }
    this.wakeUp();
  }

  close(reason: Error): void {
    this.closed ??= reason;
    this.wakeUp();
  }

  /** The changes queued so far; waits for one. Throws the close reason once closed. */
  async next(signal: AbortSignal): Promise<AssignmentChange[]> {
    while (this.queue.size === 0 && !this.closed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        this.waiter = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
        signal.addEventListener("abort", onAbort, { once: true });
      });
      this.waiter = undefined;
    }
    if (this.closed) throw this.closed;
    const changes = [...this.queue.values()];
    this.queue = new Map();
    return changes;
  }

  private wakeUp(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

export class AssignmentFanout {
  private readonly subscribers = new Map<string, Set<AssignmentSubscription>>();
  private services = new Map<string, ServiceInfo>();
  private readonly references = new FileReferences();

  constructor(
    private readonly store: Store,
    private readonly queueMax: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Follows the store until `signal` aborts. Takes its first view synchronously. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.store.viewAndWatch(signal, [
          "task",
          "service",
          "secret",
          "config",
        ]);
        this.services = new Map(snapshot.services.all().map((s) => [s.id, serviceInfo(s, s.id)]));
        this.references.clear();
        for (const task of snapshot.tasks.all()) {
          if (isAssigned(task)) this.references.set(task.id, task.nodeId, taskFileKeys(task));
        }
        for await (const batch of changes) this.handleBatch(batch);
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof StoreError && err.code === "resync-required")) this.onError(err);
        this.closeAll(
          new RpcError(
            "ABORTED",
            "Assignments: the manager lost track of changes; open a new stream to resync",
          ),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /** A new subscription and the complete set it starts from. */
  subscribe(nodeId: string): { subscription: AssignmentSubscription; complete: AssignmentChange[] } {
    return this.store.view((view) => {
      const tasks = view.tasks.byNode(nodeId).filter(isAssigned);
      const keys = new Set(tasks.flatMap(taskFileKeys));
      const complete = [
        ...[...keys].flatMap((key) => encodeFile(view, key) ?? []),
        ...tasks.map((task) =>
          encodeTaskUpdate(task, serviceInfo(view.services.get(task.serviceId), task.serviceId)),
        ),
      ];
      const subscription = new AssignmentSubscription(nodeId, view.version, this.queueMax);
      const set = this.subscribers.get(nodeId) ?? new Set<AssignmentSubscription>();
      this.subscribers.set(nodeId, set);
      set.add(subscription);
      return { subscription, complete };
    });
  }

  unsubscribe(subscription: AssignmentSubscription): void {
    const set = this.subscribers.get(subscription.nodeId);
    set?.delete(subscription);
    if (set?.size === 0) this.subscribers.delete(subscription.nodeId);
  }

  closeNode(nodeId: string, reason: Error): void {
    for (const s of this.subscribers.get(nodeId) ?? []) s.close(reason);
  }

  closeAll(reason: Error): void {
    for (const set of this.subscribers.values()) for (const s of set) s.close(reason);
  }

  private handleBatch(batch: ChangeBatch): void {
    for (const change of batch.changes) {
      if (change.kind === "service") {
        if (change.action === "delete") {
          this.services.delete(change.object.id);
        } else {
          this.services.set(change.object.id, serviceInfo(change.object, change.object.id));
          if (serviceInfoChanged(change.old, change.object))
            this.resendService(change.object.id, batch.version);
        }
      } else if (change.kind === "task") {
        const task = change.object;
        const nodeId = change.action !== "delete" && isAssigned(task) ? task.nodeId : undefined;
        const files = this.references.set(task.id, nodeId, nodeId ? taskFileKeys(task) : []);
        // A secret or config arrives before the task that needs it and leaves after the last one.
        for (const f of files) this.deliverFiles(f.nodeId, f.added, "update", batch.version);
        for (const c of taskChangeForNodes(change.action, task, change.old)) {
          const encoded =
            c.action === "update"
              ? encodeTaskUpdate(c.task, this.serviceOf(c.task))
              : encodeTaskRemoval(c.taskId);
          this.deliver(c.nodeId, encoded, batch.version);
        }
        for (const f of files) this.deliverFiles(f.nodeId, f.removed, "remove", batch.version);
      } else if ((change.kind === "secret" || change.kind === "config") && change.action === "update") {
        // Nodes holding it get the new version (its labels; the data of a config).
        const key = fileKey(change.kind === "secret" ? "SECRET" : "CONFIG", change.object.id);
        const holders = this.references.nodesWith(key).filter((n) => this.subscribers.has(n));
        // Encoded once (it reads the data) for every node holding it.
        const encoded = holders.length > 0 ? this.store.view((v) => encodeFile(v, key)) : undefined;
        if (encoded) for (const nodeId of holders) this.deliver(nodeId, encoded, batch.version);
      }
    }
  }

  private deliver(nodeId: string, change: AssignmentChange, version: number): void {
    for (const s of this.subscribers.get(nodeId) ?? []) if (version > s.fromVersion) s.push(change);
  }

  private deliverFiles(
    nodeId: string,
    keys: readonly FileKey[],
    action: "update" | "remove",
    version: number,
  ): void {
    if (keys.length === 0 || !this.subscribers.has(nodeId)) return;
    for (const key of keys) {
      const { kind, id } = parseFileKey(key);
      const encoded =
        action === "remove" ? encodeFileRemoval(kind, id) : this.store.view((v) => encodeFile(v, key));
      if (encoded) this.deliver(nodeId, encoded, version);
    }
  }

  /** A service's name or labels changed: its tasks on subscribed nodes are sent again. */
  private resendService(serviceId: string, version: number): void {
    if (this.subscribers.size === 0) return;
    const tasks = this.store.view((v) => v.tasks.byService(serviceId));
    for (const task of tasks) {
      if (isAssigned(task) && this.subscribers.has(task.nodeId)) {
        this.deliver(task.nodeId, encodeTaskUpdate(task, this.serviceOf(task)), version);
      }
    }
  }

  private serviceOf(task: Task): ServiceInfo {
    return this.services.get(task.serviceId) ?? serviceInfo(undefined, task.serviceId);
  }
}

/** A secret (with its data) or config as the view holds it; undefined once it was deleted. */
function encodeFile(view: ReadView, key: FileKey): AssignmentChange | undefined {
  const { kind, id } = parseFileKey(key);
  if (kind === "SECRET") {
    const secret = view.secrets.getWithData(id);
    return secret ? encodeFileUpdate("SECRET", secret) : undefined;
  }
  const config = view.configs.get(id);
  return config ? encodeFileUpdate("CONFIG", config) : undefined;
}
