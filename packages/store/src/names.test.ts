import { describe, expect, it } from "vitest";
import { DEFAULT_CLUSTER_SPEC } from "./objects/cluster.ts";
import type { NewObject } from "./operations.ts";
import { makeNode, makeService, makeServiceSpec } from "./testing/fixtures.ts";
import { createTestStore } from "./testing/test-store.ts";

const network = (name: string): NewObject<"network"> => ({
  spec: {
    name,
    labels: {},
    driver: { name: "overlay", options: {} },
    ipam: { driver: { name: "default", options: {} }, configs: [] },
    internal: false,
    attachable: false,
    ingress: false,
  },
  ipam: [],
});
const secret = (name: string): NewObject<"secret"> => ({ spec: { name, labels: {}, data: "c2VjcmV0" } });
const config = (name: string): NewObject<"config"> => ({ spec: { name, labels: {}, data: "Y29uZmln" } });
const cluster = (name: string): NewObject<"cluster"> => ({
  spec: { ...DEFAULT_CLUSTER_SPEC, name },
  rootCa: { caCertPem: "", caKeyPem: "", caCertHash: "", joinTokens: { worker: "w", manager: "m" } },
  unlockKeys: [],
});

describe("unique names", () => {
  const kinds = [
    ["service", (name: string): NewObject<"service"> => ({ spec: makeServiceSpec(name) })],
    ["network", network],
    ["secret", secret],
    ["config", config],
    ["cluster", cluster],
  ] as const;

  for (const [kind, make] of kinds) {
    it(`refuses a second ${kind} with the same name`, async () => {
      const { store } = createTestStore();
      await store.update((tx) => tx.create(kind, make("shared") as never));
      await expect(store.update((tx) => tx.create(kind, make("shared") as never))).rejects.toMatchObject({
        code: "name-conflict",
        kind,
        message: expect.stringContaining('"shared" already exists'),
      });
    });
  }

  it("keeps names per kind: a service and a network may share one", async () => {
    const { store } = createTestStore();
    await store.update((tx) => {
      tx.create("service", makeService(store.newId(), "app"));
      tx.create("network", network("app"));
    });
    expect(
      store.view((v) => [v.services.byName("app")?.spec.name, v.networks.byName("app")?.spec.name]),
    ).toEqual(["app", "app"]);
  });

  it("refuses two creates with one name in one transaction", async () => {
    const { store } = createTestStore();
    await expect(
      store.update((tx) => {
        tx.create("service", makeService(store.newId(), "app"));
        tx.create("service", makeService(store.newId(), "app"));
      }),
    ).rejects.toMatchObject({ code: "name-conflict" });
  });

  it("frees a name for reuse by a delete or rename in the same transaction, in any order", async () => {
    const { store } = createTestStore();
    await store.update((tx) => {
      tx.create("service", makeService(store.newId(), "a"));
      tx.create("service", makeService(store.newId(), "b"));
    });
    const [a, b] = store.view((v) => [v.services.byName("a")!, v.services.byName("b")!]);
    // Swap the two names in one transaction.
    await store.update((tx) => {
      tx.update("service", { ...a, spec: { ...a.spec, name: "b" } });
      tx.update("service", { ...b, spec: { ...b.spec, name: "a" } });
    });
    expect(store.view((v) => v.services.byName("a")?.id)).toBe(b.id);
    // Replace "a" by a new service of the same name, the create listed before the delete.
    const old = store.view((v) => v.services.byName("a")!);
    await store.update((tx) => {
      tx.create("service", makeService(store.newId(), "a"));
      tx.delete("service", old);
    });
    expect(store.view((v) => v.services.byName("a")?.id)).not.toBe(old.id);
    store.checkInvariants();
  });

  it("does not reserve node names (two machines may share a hostname)", async () => {
    const { store } = createTestStore();
    await store.update((tx) => {
      tx.create("node", makeNode(store.newId(), "same"));
      tx.create("node", makeNode(store.newId(), "same"));
    });
    expect(store.view((v) => v.nodes.byName("same"))).toHaveLength(2);
  });
});
