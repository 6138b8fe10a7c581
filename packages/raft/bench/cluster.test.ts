import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "./processes.ts";
import { ShoalClient } from "./shoal-client.ts";
import { ShoalCluster } from "./shoal-cluster.ts";

/**
 * Three member processes on loopback; the leader is killed, acknowledged writes must survive, and
 * the killed member must come back from its WAL.
 */
describe("3-process Raft cluster", () => {
  let cluster: ShoalCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it("commits writes, keeps them across a leader crash, and restarts the crashed member from its WAL", {
    timeout: 20_000,
  }, async () => {
    cluster = await ShoalCluster.start({ memberArgs: ["--pipeline"] });
    const leader = await cluster.waitForLeader(5_000);
    const writer = await ShoalClient.connect(cluster.clientPorts.get(leader) as number);
    const acked = new Map<string, string>();
    const deadline = Date.now() + 2_000;
    for (let i = 0; Date.now() < deadline; i++) {
      const key = `k${i}`;
      const value = `v${i}`;
      await writer.put(key, Buffer.from(value));
      acked.set(key, value);
    }
    writer.close();
    expect(acked.size).toBeGreaterThan(50);

    await cluster.killMember(leader);
    const next = await cluster.waitForLeader(10_000, leader);
    expect(next).not.toBe(leader);

    const reader = await ShoalClient.connect(cluster.clientPorts.get(next) as number);
    try {
      await reader.put("after-failover", Buffer.from("yes"));
      const keys = [...acked.keys()];
      const values = await Promise.all(keys.map((k) => reader.get(k)));
      const lost = keys.filter((k, i) => Buffer.from(values[i] ?? []).toString() !== acked.get(k));
      expect(lost).toEqual([]);
      expect(Buffer.from((await reader.get("after-failover")) ?? []).toString()).toBe("yes");
    } finally {
      reader.close();
    }

    // The crashed member restarts from its WAL and serves the acknowledged writes again.
    cluster.startMember(leader);
    const restarted = await waitFor("the restarted member", 8_000, async () => {
      const c = await ShoalClient.connect(cluster?.clientPorts.get(leader) as number);
      const s = await c.status().finally(() => c.close());
      return s.leader === next ? true : undefined;
    });
    expect(restarted).toBe(true);
    const again = await ShoalClient.connect(cluster.clientPorts.get(leader) as number);
    try {
      expect(Buffer.from((await again.get("k0")) ?? []).toString()).toBe("v0");
      expect(Buffer.from((await again.get("after-failover")) ?? []).toString()).toBe("yes");
    } finally {
      again.close();
    }
  });
});
