/**
 * A task's secrets and configs as files: written under `dir/<task id>/` (a tmpfs: secrets never
 * touch the node's disk) with the reference's owner and mode, and bind-mounted read-only into the
 * container — a secret at `/run/secrets/<target>`, a config at `/<target>` (an absolute target is
 * used as it is). The files go when the task's container does; at start, files of tasks with no
 * container left are removed. Secret data is never logged.
 */
import { chmod, chown, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Task } from "@shoal/store";
import type Dockerode from "dockerode";
import { AgentError } from "../errors.ts";
import { HeldObjects, type TaskFileKind } from "./held-objects.ts";
import { filesystemOf } from "./mount-filesystem.ts";

export interface TaskFilesOptions {
  /** Where the files are written; must be on a tmpfs for tasks with secrets (checked). */
  readonly dir: string;
  /** How long a task waits for a secret or config the dispatcher has not sent yet. */
  readonly waitMs: number;
}

/** Where a reference's file appears inside the container. */
export function containerPath(kind: TaskFileKind, target: string): string {
  if (target.startsWith("/")) return target;
  return kind === "secret" ? `/run/secrets/${target}` : `/${target}`;
}

export class TaskFiles {
  readonly held = new HeldObjects();
  // Tasks whose files this process wrote: never pruned as leftovers of an earlier run.
  private readonly written = new Set<string>();
  private filesystem: Promise<string> | undefined;
  private pruned = false;

  constructor(private readonly options: TaskFilesOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** True when the task's container needs files. */
  static needsFiles(task: Task): boolean {
    const spec = task.spec.containerSpec;
    return spec.secrets.length > 0 || spec.configs.length > 0;
  }

  /**
   * Writes the task's files (waiting for objects not held yet) and returns their read-only bind
   * mounts. Throws AgentError(TASK_FILES_UNAVAILABLE) saying which one is missing or why.
   */
  async mountsFor(task: Task, signal: AbortSignal): Promise<Dockerode.MountSettings[]> {
    const spec = task.spec.containerSpec;
    if (spec.secrets.length > 0) await this.requireTmpfs();
    else await this.ensureDir();
    const refs = [
      ...spec.secrets.map((r) => ({
        kind: "secret" as const,
        id: r.secretId,
        name: r.secretName,
        file: r.file,
      })),
      ...spec.configs.map((r) => ({
        kind: "config" as const,
        id: r.configId,
        name: r.configName,
        file: r.file,
      })),
    ];
    const taskDir = join(this.options.dir, task.id);
    this.written.add(task.id);
    await mkdir(taskDir, { recursive: true, mode: 0o700 });
    const mounts: Dockerode.MountSettings[] = [];
    for (const [i, ref] of refs.entries()) {
      const object = await this.held.waitFor(ref.kind, ref.id, this.options.waitMs, signal);
      if (!object) {
        throw new AgentError(
          "TASK_FILES_UNAVAILABLE",
          `${ref.kind} ${ref.name} not available on this node (not received from the manager within ${this.options.waitMs} ms)`,
        );
      }
      const uid = numericId(ref.file.uid, "uid", ref.kind, ref.name);
      const gid = numericId(ref.file.gid, "gid", ref.kind, ref.name);
      const hostPath = join(taskDir, `${ref.kind}-${i}`);
      await writeFile(hostPath, Buffer.from(object.spec.data, "base64"), { mode: 0o400 });
      await chown(hostPath, uid, gid);
      // After chown (which may clear set-id bits), and regardless of the umask.
      await chmod(hostPath, ref.file.mode);
      mounts.push({
        Type: "bind",
        Source: hostPath,
        Target: containerPath(ref.kind, ref.file.name),
        ReadOnly: true,
      });
    }
    return mounts;
  }

  /** True when this process wrote files for the task. */
  wroteFor(taskId: string): boolean {
    return this.written.has(taskId);
  }

  /** Removes the task's files (none: nothing to do). */
  async remove(taskId: string): Promise<void> {
    this.written.delete(taskId);
    await rm(join(this.options.dir, taskId), { recursive: true, force: true });
  }

  /**
   * Once per process, after the first complete listing of this node's containers: removes the
   * files of tasks with no container left (adopted containers keep theirs).
   */
  async pruneOnce(taskIdsWithContainers: ReadonlySet<string>): Promise<void> {
    if (this.pruned) return;
    this.pruned = true;
    let entries: string[];
    try {
      entries = await readdir(this.options.dir);
    } catch {
      return; // no directory: nothing left behind
    }
    for (const taskId of entries) {
      if (!taskIdsWithContainers.has(taskId) && !this.written.has(taskId)) {
        await rm(join(this.options.dir, taskId), { recursive: true, force: true });
      }
    }
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
  }

  private async requireTmpfs(): Promise<void> {
    this.filesystem ??= this.ensureDir().then(() => filesystemOf(this.options.dir));
    let type: string;
    try {
      type = await this.filesystem;
    } catch (err) {
      this.filesystem = undefined;
      throw new AgentError(
        "TASK_FILES_UNAVAILABLE",
        `cannot prepare ${this.options.dir} for secrets: ${(err as Error).message}`,
      );
    }
    if (type !== "tmpfs") {
      throw new AgentError(
        "TASK_FILES_UNAVAILABLE",
        `secrets are kept on a tmpfs only, and ${this.options.dir} is on ${type}: start the node with a secrets directory on a tmpfs (such as /dev/shm)`,
      );
    }
  }
}

function numericId(value: string, what: "uid" | "gid", kind: TaskFileKind, name: string): number {
  if (value === "") return 0;
  if (!/^\d+$/.test(value)) {
    throw new AgentError(
      "TASK_FILES_UNAVAILABLE",
      `${kind} ${name}: ${what} "${value}" is not a number (files are owned by numeric ids)`,
    );
  }
  return Number(value);
}
