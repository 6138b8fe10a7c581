/**
 * Carries traffic sent to service VIPs on one node: every running task container of this node on
 * a Shoal network gets, in its own network namespace, DNAT rules from each VIP of its networks to
 * that service's tasks in rotation (`vip-rules.ts`), kept current from the Endpoints stream's
 * network entries. A container's rules go in as soon as it has started (`containerStarted`, before
 * its health is awaited); a periodic sync adopts containers of a previous run and forgets those
 * gone. `removeTask` takes a task of this node out of every rotation here before its container
 * gets the stop signal; connections already made stay on it (conntrack) for the grace period.
 * Operations run one at a time.
 */
import type { Task } from "@shoal/store";
import type Dockerode from "dockerode";
import { NODE_ID_LABEL, TASK_ID_LABEL } from "../../executor/docker/task-labels.ts";
import type { NetworkTable } from "../mesh/endpoint-follower.ts";
import { addressOnly } from "../mesh/mesh-table.ts";
import { everyInterval, SerialQueue } from "../serial-sync.ts";
import { NetnsIptables } from "./netns-iptables.ts";
import { networksOfAddresses, renderVipRules, vipTargets } from "./vip-rules.ts";

export interface VipBalancerOptions {
  nodeId: string;
  docker: Dockerode;
  iptables?: NetnsIptables;
  /** Pause between syncs that adopt and forget containers. */
  syncIntervalMs?: number;
  onError?: (err: unknown) => void;
}

/** Named limit: the default of `syncIntervalMs`. */
const SYNC_INTERVAL_MS = 5_000;

interface Held {
  pid: number;
  /** The container's addresses (its networks are those of the table holding them). */
  addresses: string[];
  /** The rules last written into its namespace. */
  applied?: string;
}

export class VipBalancer {
  private table: NetworkTable = new Map();
  private readonly containers = new Map<string, Held>();
  /** Addresses of this node's tasks on their way out: in no rotation here any more. */
  private readonly leaving = new Set<string>();
  private readonly queue = new SerialQueue();
  private readonly stopper = new AbortController();
  private timer: Promise<void> | undefined;
  private readonly iptables: NetnsIptables;

  constructor(private readonly options: VipBalancerOptions) {
    this.iptables = options.iptables ?? new NetnsIptables();
  }

  start(): void {
    this.timer ??= everyInterval(
      this.options.syncIntervalMs ?? SYNC_INTERVAL_MS,
      this.stopper.signal,
      () => this.serial(() => this.sync()),
      (err) => this.options.onError?.(err),
    );
  }

  /** Stops the sync. Rules stay in the containers (they keep working by the last table). */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.timer;
    await this.queue.idle();
  }

  /** A new table: every container's rules follow. */
  async apply(table: NetworkTable): Promise<void> {
    this.table = table;
    const listed = new Set([...table.values()].flatMap((e) => e.dns.flatMap((s) => s.taskAddresses)));
    for (const a of this.leaving) if (!listed.has(a)) this.leaving.delete(a);
    await this.serial(() => this.applyAll());
  }

  /** A task container has just started: its rules now. Rejects (saying why) if they cannot go in. */
  async containerStarted(containerId: string): Promise<void> {
    await this.serial(async () => {
      const held = await this.adopt(containerId);
      if (held) await this.write(held);
    });
  }

  /** Out of every rotation on this node now (before the stop signal). */
  async removeTask(task: Pick<Task, "networksAttachments">): Promise<void> {
    const addresses = task.networksAttachments.flatMap((a) => a.addresses.map(addressOnly));
    if (addresses.length === 0) return;
    for (const a of addresses) this.leaving.add(a);
    await this.serial(() => this.applyAll());
  }

  /** The rules a container holds now (for tests and diagnostics). */
  rulesOf(containerId: string): string | undefined {
    return this.containers.get(containerId)?.applied;
  }

  private async adopt(containerId: string): Promise<Held | undefined> {
    const info = await this.options.docker.getContainer(containerId).inspect();
    const pid = info.State?.Pid ?? 0;
    if (!info.State?.Running || pid <= 0) return undefined;
    const addresses = Object.values(info.NetworkSettings?.Networks ?? {})
      .map((n) => n.IPAMConfig?.IPv4Address || n.IPAddress)
      .filter((a): a is string => Boolean(a));
    const held: Held = { pid, addresses };
    this.containers.set(containerId, held);
    return held;
  }

  /** Writes one container's rules if they changed; a container on no Shoal network is left alone. */
  private async write(held: Held): Promise<void> {
    const networkIds = networksOfAddresses(this.table, held.addresses);
    if (networkIds.length === 0 && held.applied === undefined) return;
    const rules = renderVipRules(vipTargets(this.table, networkIds, this.leaving));
    if (rules === held.applied) return;
    if (held.applied === undefined) {
      await this.iptables.restore(held.pid, rules);
      await this.iptables.ensureJumps(held.pid);
    } else {
      await this.iptables.restore(held.pid, rules);
    }
    held.applied = rules;
  }

  private async applyAll(): Promise<void> {
    for (const [id, held] of [...this.containers]) {
      try {
        await this.write(held);
      } catch (err) {
        const still = await this.options.docker
          .getContainer(id)
          .inspect()
          .catch(() => undefined);
        if (still?.State?.Running && still.State.Pid === held.pid) this.options.onError?.(err);
        else this.containers.delete(id);
      }
    }
  }

  /** Adopts running task containers of this node not held yet; forgets those no longer running. */
  private async sync(): Promise<void> {
    const listed = await this.options.docker.listContainers({
      filters: JSON.stringify({
        label: [TASK_ID_LABEL, `${NODE_ID_LABEL}=${this.options.nodeId}`],
        status: ["running"],
      }),
    });
    const running = new Set(listed.map((c) => c.Id));
    for (const id of this.containers.keys()) if (!running.has(id)) this.containers.delete(id);
    for (const id of running) {
      if (this.containers.has(id)) continue;
      await this.adopt(id).catch((err) => this.options.onError?.(err));
    }
    await this.applyAll();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }
}
