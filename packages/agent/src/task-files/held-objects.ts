/**
 * The secrets and configs the dispatcher gave this node, in memory only, keyed by kind and id. A
 * task whose secret has not arrived yet waits for it here (bounded). Data is never logged.
 */
import type { Config, Secret } from "@shoal/store";
import { sleep } from "../abortable-sleep.ts";
import type { TaskFileChange, TaskFileObject } from "../session-interface.ts";

export type TaskFileKind = TaskFileObject["kind"];

export class HeldObjects {
  // Invariant: exactly the secrets and configs of the latest complete set plus later changes.
  private readonly secrets = new Map<string, Secret>();
  private readonly configs = new Map<string, Config>();
  private readonly waiters = new Set<() => void>();

  /** A complete set replaces everything held. */
  replaceAll(files: readonly TaskFileObject[]): void {
    this.secrets.clear();
    this.configs.clear();
    for (const file of files) this.put(file);
    this.wake();
  }

  apply(changes: readonly TaskFileChange[]): void {
    for (const change of changes) {
      if (change.action === "update") this.put(change.file);
      else (change.kind === "secret" ? this.secrets : this.configs).delete(change.id);
    }
    if (changes.length > 0) this.wake();
  }

  get(kind: "secret", id: string): Secret | undefined;
  get(kind: "config", id: string): Config | undefined;
  get(kind: TaskFileKind, id: string): Secret | Config | undefined {
    return kind === "secret" ? this.secrets.get(id) : this.configs.get(id);
  }

  /** The object once it is held; undefined if it did not arrive within `timeoutMs`. */
  async waitFor(
    kind: TaskFileKind,
    id: string,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Secret | Config | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const held = kind === "secret" ? this.secrets.get(id) : this.configs.get(id);
      if (held || signal.aborted) return held;
      const leftMs = deadline - Date.now();
      if (leftMs <= 0) return undefined;
      const wait = new AbortController();
      const wake = () => wait.abort();
      this.waiters.add(wake);
      const onAbort = () => wait.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      await sleep(leftMs, wait.signal);
      signal.removeEventListener("abort", onAbort);
      this.waiters.delete(wake);
    }
  }

  private put(file: TaskFileObject): void {
    if (file.kind === "secret") this.secrets.set(file.object.id, file.object);
    else this.configs.set(file.object.id, file.object);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
