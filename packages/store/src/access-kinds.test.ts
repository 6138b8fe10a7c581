import { describe, expect, it } from "vitest";
import { createTestStore } from "./testing/test-store.ts";

const HASH = "a".repeat(64);

describe("users, API tokens and the session key", () => {
  it("are stored, found by name, user and hash, and survive a snapshot", async () => {
    const { store } = createTestStore({ validateObjects: true });
    const { value: userId } = await store.update((tx) =>
      tx.create("user", { spec: { name: "alice", role: "admin", disabled: false }, passwordHash: "$2b$x" }),
    );
    await store.update((tx) => {
      tx.create("apiToken", {
        spec: { name: "ci", userId, role: "operator" },
        tokenHash: HASH,
        prefix: "shl_ab",
      });
      tx.create("sessionKey", { spec: { keyBase64: "a2V5" } });
    });
    const check = (s: typeof store) =>
      s.view((v) => {
        expect(v.users.byName("alice")?.id).toBe(userId);
        expect(v.apiTokens.byHash(HASH)?.spec.name).toBe("ci");
        expect(v.apiTokens.byUser(userId)).toHaveLength(1);
        expect(v.apiTokens.byName(userId, "ci")?.tokenHash).toBe(HASH);
        expect(v.sessionKeys.all()).toHaveLength(1);
      });
    check(store);
    const { store: copy } = createTestStore();
    copy.restore(store.snapshot());
    check(copy);
    store.checkInvariants();
  });

  it("refuse a second user with the same name and a second token with the same name per user", async () => {
    const { store } = createTestStore();
    const user = { spec: { name: "bob", role: "viewer" as const, disabled: false }, passwordHash: "h" };
    const { value: userId } = await store.update((tx) => tx.create("user", user));
    await expect(store.update((tx) => tx.create("user", user))).rejects.toMatchObject({
      code: "name-conflict",
    });
    const token = { spec: { name: "t", userId, role: "viewer" as const }, tokenHash: HASH, prefix: "p" };
    await store.update((tx) => tx.create("apiToken", token));
    await expect(
      store.update((tx) => tx.create("apiToken", { ...token, tokenHash: "b".repeat(64) })),
    ).rejects.toMatchObject({ code: "name-conflict" });
  });
});
