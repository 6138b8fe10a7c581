import { describe, expect, it } from "vitest";
import { updateCluster } from "./cluster.ts";
import { controlSetup, failure } from "./test-context.ts";
import { readUnlockKey, rotateUnlockKey } from "./unlock-key.ts";

const KEY = /^SWMKEY-1-[A-Za-z0-9+/]{43}$/;

describe("control API: unlock key", () => {
  it("exists only while autolock is on; rotation keeps the previous key second", async () => {
    const { ctx, h } = await controlSetup();
    const keys = () => h.store.view((v) => v.clusters.all()[0]!.unlockKeys.map((k) => k.key));
    expect((await failure(Promise.resolve().then(() => h.store.view(readUnlockKey)))).message).toMatch(
      /no unlock key is set/,
    );
    expect((await failure(rotateUnlockKey(ctx))).message).toMatch(/autolock is not turned on/);

    await updateCluster(ctx, { autoLockManagers: true });
    const first = h.store.view(readUnlockKey).unlockKey;
    expect(first).toMatch(KEY);
    await updateCluster(ctx, { taskHistoryRetentionLimit: 3 });
    expect(h.store.view(readUnlockKey).unlockKey).toBe(first);

    const { unlockKey: second } = await rotateUnlockKey(ctx);
    expect(second).toMatch(KEY);
    expect(keys()).toEqual([second, first]);
    const { unlockKey: third } = await rotateUnlockKey(ctx);
    expect(keys()).toEqual([third, second]);

    await updateCluster(ctx, { autoLockManagers: false });
    expect(keys()).toEqual([]);
    await updateCluster(ctx, { autoLockManagers: true });
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).not.toBe(third);
  });
});
