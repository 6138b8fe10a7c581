/**
 * A 3-member Shoal Raft cluster: one OS process per member (bench/member.ts), each with its own
 * WAL in a temporary directory, talking over the TCP transport on loopback.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Put } from "./load.ts";
import { freePorts } from "./ports.ts";
import { type Child, startChild, stopChild, waitFor } from "./processes.ts";
import { ShoalClient } from "./shoal-client.ts";

export const SHOAL_MEMBERS = 3;
const MEMBER_SCRIPT = fileURLToPath(new URL("./member.ts", import.meta.url));

export interface ShoalClusterOptions {
  /** Extra arguments for every member (e.g. ["--pipeline"]). */
  readonly memberArgs?: readonly string[];
  /** Node flags for every member (e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]). */
  readonly nodeFlags?: readonly string[];
}

export class ShoalCluster {
  private readonly children = new Map<number, Child>();

  private constructor(
    readonly clientPorts: Map<number, number>,
    private readonly peers: string,
    private readonly dataRoot: string,
    private readonly options: ShoalClusterOptions,
  ) {}

  static async start(options: ShoalClusterOptions = {}): Promise<ShoalCluster> {
    const dataRoot = mkdtempSync(path.join(tmpdir(), "shoal-bench-raft-"));
    const ports = await freePorts(2 * SHOAL_MEMBERS);
    const ids = Array.from({ length: SHOAL_MEMBERS }, (_, i) => i + 1);
    const peers = ids.map((id) => `${id}=127.0.0.1:${ports[SHOAL_MEMBERS + id - 1]}`).join(",");
    const clientPorts = new Map(ids.map((id) => [id, ports[id - 1] as number]));
    const cluster = new ShoalCluster(clientPorts, peers, dataRoot, options);
    for (const id of ids) cluster.startMember(id);
    try {
      await cluster.waitForLeader(20_000);
    } catch (err) {
      const logs = [...cluster.children.values()].map((c) => `${c.name}: ${c.stderr.join("")}`).join("\n");
      await cluster.stop();
      throw new Error(`${String(err)}\n${logs}`);
    }
    return cluster;
  }

  startMember(id: number): void {
    const args = [
      ...(this.options.nodeFlags ?? []),
      "--import",
      "tsx",
      MEMBER_SCRIPT,
      `--id=${id}`,
      `--peers=${this.peers}`,
      `--client-port=${this.clientPorts.get(id)}`,
      `--data-dir=${path.join(this.dataRoot, `m${id}`)}`,
      ...(this.options.memberArgs ?? []),
    ];
    this.children.set(id, startChild(`member-${id}`, process.execPath, args));
  }

  /** Kills a member abruptly (SIGKILL), as a crash would. */
  async killMember(id: number): Promise<void> {
    const child = this.children.get(id);
    if (child) await stopChild(child, "SIGKILL");
  }

  /** The leader's id as a live member reports it, once every live member agrees. */
  async waitForLeader(timeoutMs: number, excluding?: number): Promise<number> {
    return waitFor("a raft leader", timeoutMs, async () => {
      const seen = new Set<number>();
      for (const [id, port] of this.clientPorts) {
        if (id === excluding) continue;
        const client = await ShoalClient.connect(port);
        try {
          const s = await client.status();
          if (s.leader === 0 || s.leader === excluding) return undefined;
          seen.add(s.leader);
        } finally {
          client.close();
        }
      }
      return seen.size === 1 ? [...seen][0] : undefined;
    });
  }

  /** A writer that sends every client's writes to the leader over its own connection. */
  async leaderWriter(clients: number): Promise<{ put: Put; close: () => void }> {
    const leader = await this.waitForLeader(10_000);
    const port = this.clientPorts.get(leader) as number;
    const conns = await Promise.all(Array.from({ length: clients }, () => ShoalClient.connect(port)));
    const put: Put = (client, key, value) => (conns[client] as ShoalClient).put(key, value);
    return {
      put,
      close: () => {
        for (const c of conns) c.close();
      },
    };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.values()].map((c) => stopChild(c)));
    rmSync(this.dataRoot, { recursive: true, force: true });
  }
}
