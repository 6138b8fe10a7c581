import { describe, expect, it } from "vitest";
import { createIdGenerator, seededRandomBytes } from "./ids.ts";

describe("ids", () => {
  it("are 25 base36 characters, the same for the same seed", () => {
    const a = createIdGenerator(seededRandomBytes(42));
    const b = createIdGenerator(seededRandomBytes(42));
    const ids = Array.from({ length: 1_000 }, () => a());
    expect(ids.every((id) => /^[0-9a-z]{25}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(b()).toBe(ids[0]);
  });

  it("keep the full width for all-zero and all-one bytes", () => {
    expect(createIdGenerator((n) => new Uint8Array(n))()).toHaveLength(25);
    expect(createIdGenerator((n) => new Uint8Array(n).fill(255))()).toHaveLength(25);
  });
});
