import { afterAll, describe, expect, it } from "vitest";
import { ShoalClient } from "./shoal-client.ts";
import { ShoalCluster } from "./shoal-cluster.ts";

/** Three member processes on loopback; the leader is killed and acknowledged writes must survive. */
describe("3-process Raft cluster", () => {
  let cluster: ShoalCluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it("commits writes and keeps them across a leader crash", { timeout: 20_000 }, async () => {
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
  });
});
