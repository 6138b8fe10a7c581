/**
 * A 3-member etcd cluster on loopback for side-by-side numbers: temporary data dirs, free ports,
 * and a clean stop. Writes go to the leader through the etcd3 client.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Etcd3 } from "etcd3";
import type { Put } from "./load.ts";
import { freePorts } from "./ports.ts";
import { type Child, startChild, stopChild, waitFor } from "./processes.ts";

export const ETCD_MEMBERS = 3;

export function etcdBinary(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v etcd"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export class EtcdCluster {
  private constructor(
    private readonly children: Child[],
    private readonly clientUrls: string[],
    private readonly dataRoot: string,
  ) {}

  static async start(binary: string): Promise<EtcdCluster> {
    const dataRoot = mkdtempSync(path.join(tmpdir(), "shoal-bench-etcd-"));
    const ports = await freePorts(2 * ETCD_MEMBERS);
    const peerUrl = (i: number) => `http://127.0.0.1:${ports[ETCD_MEMBERS + i]}`;
    const clientUrls = Array.from({ length: ETCD_MEMBERS }, (_, i) => `http://127.0.0.1:${ports[i]}`);
    const initial = clientUrls.map((_, i) => `m${i}=${peerUrl(i)}`).join(",");
    const children = clientUrls.map((url, i) =>
      startChild(`etcd-m${i}`, binary, [
        `--name=m${i}`,
        `--data-dir=${path.join(dataRoot, `m${i}`)}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peerUrl(i)}`,
        `--initial-advertise-peer-urls=${peerUrl(i)}`,
        `--initial-cluster=${initial}`,
        "--initial-cluster-state=new",
        "--initial-cluster-token=shoal-bench",
        "--log-level=error",
        "--logger=zap",
      ]),
    );
    const cluster = new EtcdCluster(children, clientUrls, dataRoot);
    try {
      await waitFor("an etcd leader", 20_000, () => cluster.leaderUrl());
    } catch (err) {
      await cluster.stop();
      throw new Error(`${String(err)}\n${children.map((c) => c.stderr.join("")).join("\n")}`);
    }
    return cluster;
  }

  /** The client URL of the current leader, or undefined while there is none. */
  async leaderUrl(): Promise<string | undefined> {
    for (const url of this.clientUrls) {
      const client = new Etcd3({ hosts: url, dialTimeout: 500 });
      try {
        const s = await client.maintenance.status();
        if (s.leader !== "0" && s.leader === s.header.member_id) return url;
      } catch {
        // not up yet
      } finally {
        client.close();
      }
    }
    return undefined;
  }

  /** A writer to the leader; `close` releases its connection. */
  async leaderWriter(): Promise<{ put: Put; close: () => void }> {
    const url = await waitFor("an etcd leader", 10_000, () => this.leaderUrl());
    const client = new Etcd3({ hosts: url });
    const put: Put = async (_client, key, value) => {
      await client.put(key).value(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    };
    return { put, close: () => client.close() };
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => stopChild(c)));
    rmSync(this.dataRoot, { recursive: true, force: true });
  }
}
