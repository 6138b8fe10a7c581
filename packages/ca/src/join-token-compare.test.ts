import * as crypto from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";

// Spy on timingSafeEqual as the join-token module sees it.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { generateJoinTokens, matchJoinToken, constantTimeEquals } = await import("./join-token.ts");
const FAKE_CA_PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

describe("join token comparison is constant-time", () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it("compares against both tokens with crypto.timingSafeEqual, whatever the outcome", () => {
    const tokens = generateJoinTokens(FAKE_CA_PEM);
    for (const presented of [tokens.worker, tokens.manager, "nope"]) {
      vi.mocked(crypto.timingSafeEqual).mockClear();
      matchJoinToken(presented, tokens);
      expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
    }
  });

  it("compares fixed-length digests, so strings of different lengths never throw or short-circuit", () => {
    expect(constantTimeEquals("a", "a much longer string")).toBe(false);
    const [a, b] = vi.mocked(crypto.timingSafeEqual).mock.calls[0]! as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
  });
});
