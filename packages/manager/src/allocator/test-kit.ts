import { DEFAULT_CLUSTER_SPEC, type Network, type Store, type TaskState } from "@shoal/store";
import { makeOverlayNetwork, makeService, makeTask } from "@shoal/store/testing";

/** Fixtures for the allocator's tests. */

export function testId(kind: "c" | "w" | "s" | "t", i: number): string {
  return `${kind}${String(i).padStart(24, "0")}`;
}

type NewOf<T> = Omit<T, "version" | "createdAtMs" | "updatedAtMs">;

export function network(i: number, options: { ingress?: boolean; subnet?: string } = {}): NewOf<Network> {
  return makeOverlayNetwork(testId("w", i), `net-${i}`, options);
}

export function service(i: number, networks: number[] = [], ports: [number, number][] = []) {
  const s = structuredClone(makeService(testId("s", i), `svc-${i}`));
  s.spec.taskTemplate.networks = networks.map((n) => ({ target: testId("w", n), aliases: [`svc-${i}`] }));
  s.spec.endpointSpec.ports = ports.map(([targetPort, publishedPort]) => ({
    protocol: "tcp" as const,
    targetPort,
    publishedPort,
    publishMode: "ingress" as const,
  }));
  return s;
}

export function newTask(i: number, serviceIndex: number, networks: number[] = []) {
  const t = structuredClone(makeTask(testId("t", i), testId("s", serviceIndex), i));
  t.spec.networks = networks.map((n) => ({ target: testId("w", n), aliases: [] }));
  return t;
}

export async function createCluster(store: Store): Promise<void> {
  await store.update((tx) =>
    tx.create("cluster", {
      id: testId("c", 1),
      spec: DEFAULT_CLUSTER_SPEC,
      rootCa: {
        caCertPem: "cert",
        caKeyPem: "key",
        caCertHash: "hash",
        joinTokens: { worker: "w", manager: "m" },
      },
      unlockKeys: [],
    }),
  );
}

export function taskState(store: Store, i: number): TaskState | undefined {
  return store.view((v) => v.tasks.get(testId("t", i))?.status.state);
}
