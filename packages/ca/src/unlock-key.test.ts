import { describe, expect, it } from "vitest";
import { generateUnlockKey, parseUnlockKey } from "./unlock-key.ts";

describe("unlock keys", () => {
  it("are SWMKEY-1- and 43 base64 characters, standing for 32 random bytes", () => {
    const key = generateUnlockKey();
    expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/);
    expect(generateUnlockKey()).not.toBe(key);
    const kek = parseUnlockKey(`  ${key}\n`);
    expect(kek).toHaveLength(32);
    expect(generateUnlockKey(() => kek)).toBe(key);
  });

  it("refuses anything else with 'invalid key'", () => {
    for (const bad of [
      "",
      "SWMKEY-1-",
      "SWMKEY-2-" + "A".repeat(43),
      "SWMTKN-1-abc",
      `SWMKEY-1-${"A".repeat(42)}`,
    ]) {
      expect(() => parseUnlockKey(bad)).toThrow(/invalid key/);
    }
  });
});
