/**
 * Which secrets and configs each node needs: those referenced by the tasks assigned to it. A node
 * gets a secret or config when a first assigned task references it and loses it when the last one
 * stops referencing it (the task was deleted, moved, or its spec changed). Pure bookkeeping.
 */
import type { Task } from "@shoal/store";

export type FileKind = "SECRET" | "CONFIG";

/** A secret's or config's place in a node's set: `SECRET:id` or `CONFIG:id`. */
export type FileKey = `${FileKind}:${string}`;

export function fileKey(kind: FileKind, id: string): FileKey {
  return `${kind}:${id}`;
}

export function parseFileKey(key: FileKey): { kind: FileKind; id: string } {
  const colon = key.indexOf(":");
  return { kind: key.slice(0, colon) as FileKind, id: key.slice(colon + 1) };
}

/** The distinct secrets and configs a task's container mounts. */
export function taskFileKeys(task: Task): FileKey[] {
  const spec = task.spec.containerSpec;
  return [
    ...new Set<FileKey>([
      ...spec.secrets.map((s) => fileKey("SECRET", s.secretId)),
      ...spec.configs.map((c) => fileKey("CONFIG", c.configId)),
    ]),
  ];
}

/** What one task change did to a node's set. */
export interface NodeFileChange {
  readonly nodeId: string;
  readonly added: readonly FileKey[];
  readonly removed: readonly FileKey[];
}

export class FileReferences {
  // Invariant: counts[node][key] = the number of tasks in `tasks` on that node referencing key (> 0).
  private readonly counts = new Map<string, Map<FileKey, number>>();
  private readonly tasks = new Map<string, { nodeId: string; keys: readonly FileKey[] }>();

  /**
   * Records a task's references: `nodeId` undefined when the task is no longer assigned anywhere.
   * Returns, per node concerned, the keys it needs from now on and those it no longer needs.
   */
  set(taskId: string, nodeId: string | undefined, keys: readonly FileKey[]): NodeFileChange[] {
    const before = this.tasks.get(taskId);
    const after = nodeId === undefined ? undefined : { nodeId, keys };
    if (after && after.keys.length > 0) this.tasks.set(taskId, after);
    else this.tasks.delete(taskId);
    const removed = before ? this.release(before.nodeId, before.keys) : [];
    const added = after ? this.hold(after.nodeId, after.keys) : [];
    const out = new Map<string, { added: FileKey[]; removed: FileKey[] }>();
    const entry = (n: string) => {
      const e = out.get(n) ?? { added: [], removed: [] };
      out.set(n, e);
      return e;
    };
    for (const r of removed) entry(r.nodeId).removed.push(r.key);
    for (const a of added) {
      // Released and held again on the same node: nothing changes there.
      const e = entry(a.nodeId);
      const i = e.removed.indexOf(a.key);
      if (i >= 0) e.removed.splice(i, 1);
      else e.added.push(a.key);
    }
    return [...out]
      .filter(([, e]) => e.added.length > 0 || e.removed.length > 0)
      .map(([n, e]) => ({ nodeId: n, added: e.added, removed: e.removed }));
  }

  /** The nodes holding a key. */
  nodesWith(key: FileKey): string[] {
    return [...this.counts].filter(([, keys]) => keys.has(key)).map(([n]) => n);
  }

  clear(): void {
    this.counts.clear();
    this.tasks.clear();
  }

  private hold(nodeId: string, keys: readonly FileKey[]): { nodeId: string; key: FileKey }[] {
    if (keys.length === 0) return [];
    const counts = this.counts.get(nodeId) ?? new Map<FileKey, number>();
    this.counts.set(nodeId, counts);
    const first: { nodeId: string; key: FileKey }[] = [];
    for (const key of keys) {
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      if (n === 0) first.push({ nodeId, key });
    }
    return first;
  }

  private release(nodeId: string, keys: readonly FileKey[]): { nodeId: string; key: FileKey }[] {
    const counts = this.counts.get(nodeId);
    if (!counts) return [];
    const last: { nodeId: string; key: FileKey }[] = [];
    for (const key of keys) {
      const n = counts.get(key) ?? 0;
      if (n <= 1) {
        counts.delete(key);
        if (n === 1) last.push({ nodeId, key });
      } else counts.set(key, n - 1);
    }
    if (counts.size === 0) this.counts.delete(nodeId);
    return last;
  }
}
