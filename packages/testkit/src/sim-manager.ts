/**
 * One manager of a simulated cluster: a real Manager (RawNode + RaftDriver + Store + leader
 * components) on a simulated network, writing its Raft log to a simulated disk that survives
 * kill(), so restart() brings the same member back with what it had persisted.
 */
import { type LoopTiming, Manager, MemoryDurableLog } from "@shoal/manager";
import type { NodeId } from "@shoal/raft";
import type { Store } from "@shoal/store";
import type { SimNetwork } from "./sim-network.ts";

export interface SimManagerOptions {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  readonly network: SimNetwork;
  readonly tickMs: number;
  readonly electionTick: number;
  readonly heartbeatTick: number;
  readonly snapshotEveryEntries: number;
  readonly timing?: Partial<LoopTiming>;
  /** Told when this manager's leader components started (true) or stopped (false). */
  readonly onTransition: (manager: SimManager, running: boolean) => void;
  readonly onError: (error: unknown, component: string) => void;
}

export class SimManager {
  readonly id: NodeId;
  /** The simulated disk: survives kill() and restart(). */
  readonly disk = new MemoryDurableLog();
  private current: Manager | undefined;
  /** Starts and kills so far. */
  incarnation = 0;

  constructor(private readonly options: SimManagerOptions) {
    this.id = options.id;
  }

  get isAlive(): boolean {
    return this.current !== undefined;
  }

  /** The running manager; throws if it was killed. */
  get manager(): Manager {
    if (this.current === undefined) throw new Error(`manager ${this.id} is not running`);
    return this.current;
  }

  get store(): Store {
    return this.manager.state.store;
  }

  /** Raft says this manager leads (its components may still be waiting for the barrier). */
  get isLeader(): boolean {
    return this.current?.state.leadership.current.isLeader ?? false;
  }

  /** The leader components run here. */
  get isActiveLeader(): boolean {
    return this.current?.runner.isRunning ?? false;
  }

  async start(): Promise<void> {
    if (this.current) return;
    const o = this.options;
    this.incarnation++;
    const manager = await Manager.open({
      id: o.id,
      initialMembers: o.members,
      transport: o.network.transport(o.id),
      log: { memory: this.disk },
      raft: { electionTick: o.electionTick, heartbeatTick: o.heartbeatTick },
      driver: { tickMs: o.tickMs, snapshotEveryEntries: o.snapshotEveryEntries, compactionKeepEntries: 500 },
      rng: seededRng(o.id * 7_919 + this.incarnation),
      timing: o.timing,
      onError: o.onError,
      runner: { onTransition: (e) => o.onTransition(this, e.running) },
    });
    this.current = manager;
    manager.start();
  }

  /** Crashes the manager: Raft stops at once, then its loops are torn down. The disk stays. */
  async kill(): Promise<void> {
    const manager = this.current;
    if (manager === undefined) return;
    this.current = undefined;
    await manager.state.stop();
    await manager.runner.stop();
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}

/** A small deterministic generator (mulberry32) for election timeouts. */
export function seededRng(seed: number): { intn(n: number): number } {
  let a = seed >>> 0;
  return {
    intn(n: number): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      return Math.floor(r * n);
    },
  };
}
