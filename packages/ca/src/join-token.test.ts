import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  generateJoinToken,
  generateJoinTokens,
  matchJoinToken,
  parseJoinToken,
  rootCaDigestHex,
  rotateJoinToken,
} from "./join-token.ts";
import { createRootCa } from "./root-ca.ts";

const FAKE_CA_PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const TOKEN = /^SWMTKN-1-([0-9a-z]{50})-([0-9a-z]{25})$/;

describe("join token format", () => {
  it("is SWMTKN-1-<50 base36 digest>-<25 base36 secret>", () => {
    const token = generateJoinToken(FAKE_CA_PEM);
    expect(token).toMatch(TOKEN);
    expect(token).toHaveLength("SWMTKN-1-".length + 50 + 1 + 25);
  });

  it("encodes SHA-256 of the CA PEM bytes as a left-padded base36 number", () => {
    const token = generateJoinToken(FAKE_CA_PEM);
    const digest = TOKEN.exec(token)![1]!;
    const hex = createHash("sha256").update(FAKE_CA_PEM).digest("hex");
    expect(digest).toBe(BigInt(`0x${hex}`).toString(36).padStart(50, "0"));
    expect(parseJoinToken(token).rootCaDigestHex).toBe(hex);
    expect(rootCaDigestHex(FAKE_CA_PEM)).toBe(hex);
  });

  it("pads small values with zeros: an all-zero secret is 25 zeros, a digest of 1 is 49 zeros and a 1", () => {
    const token = generateJoinToken(FAKE_CA_PEM, (n) => new Uint8Array(n));
    expect(token.endsWith(`-${"0".repeat(25)}`)).toBe(true);
    const tiny = `SWMTKN-1-${"0".repeat(49)}1-${"0".repeat(25)}`;
    expect(parseJoinToken(tiny).rootCaDigestHex).toBe(`${"0".repeat(63)}1`);
  });

  it("writes the largest 16-byte secret in exactly 25 characters", () => {
    const token = generateJoinToken(FAKE_CA_PEM, (n) => new Uint8Array(n).fill(0xff));
    const secret = TOKEN.exec(token)![2]!;
    expect(secret).toBe(((1n << 128n) - 1n).toString(36));
    expect(secret).toHaveLength(25);
  });

  it("gives worker and manager tokens the same digest and different secrets", async () => {
    const root = await createRootCa();
    const { worker, manager } = generateJoinTokens(root.certPem);
    expect(parseJoinToken(worker).rootCaDigestHex).toBe(parseJoinToken(manager).rootCaDigestHex);
    expect(parseJoinToken(worker).secret).not.toBe(parseJoinToken(manager).secret);
  });

  it("rotation keeps the digest and changes the secret", () => {
    const token = generateJoinToken(FAKE_CA_PEM);
    const rotated = rotateJoinToken(token);
    expect(rotated).toMatch(TOKEN);
    expect(parseJoinToken(rotated).rootCaDigestHex).toBe(parseJoinToken(token).rootCaDigestHex);
    expect(rotated).not.toBe(token);
  });

  it("ignores surrounding whitespace when parsing", () => {
    const token = generateJoinToken(FAKE_CA_PEM);
    expect(parseJoinToken(`  ${token}\n`).secret).toBe(parseJoinToken(token).secret);
  });
});

describe("join token parse errors", () => {
  const digest = "1".repeat(50);
  const secret = "2".repeat(25);
  const cases: [string, string, RegExp][] = [
    ["empty", "", /expected 4 parts separated by '-'.*found 1/],
    ["too few parts", `SWMTKN-1-${digest}`, /expected 4 parts.*found 3/],
    ["too many parts", `SWMTKN-1-${digest}-${secret}-x`, /found 5/],
    ["wrong prefix", `SWARM-1-${digest}-${secret}`, /must start with SWMTKN-/],
    ["unknown version", `SWMTKN-2-${digest}-${secret}`, /version "2" is not supported/],
    ["short digest", `SWMTKN-1-${digest.slice(1)}-${secret}`, /CA digest must be 50 characters, found 49/],
    ["long secret", `SWMTKN-1-${digest}-${secret}3`, /secret must be 25 characters, found 26/],
    ["uppercase digest", `SWMTKN-1-${"A".repeat(50)}-${secret}`, /CA digest must be lowercase base36/],
    ["symbol in secret", `SWMTKN-1-${digest}-${"_".repeat(25)}`, /secret must be lowercase base36/],
    ["digest over 2^256", `SWMTKN-1-${"z".repeat(50)}-${secret}`, /larger than a SHA-256 value/],
    ["secret over 2^128", `SWMTKN-1-${digest}-${"z".repeat(25)}`, /larger than 16 bytes/],
  ];
  it.each(cases)("%s", (_name, token, message) => {
    expect(() => parseJoinToken(token)).toThrow(message);
    try {
      parseJoinToken(token);
    } catch (err) {
      expect(err).toMatchObject({ code: "INVALID_JOIN_TOKEN" });
      expect((err as Error).message.startsWith("invalid join token: ")).toBe(true);
    }
  });
});

describe("matching a presented token", () => {
  const tokens = generateJoinTokens(FAKE_CA_PEM);
  it("grants the role whose token it is", () => {
    expect(matchJoinToken(tokens.worker, tokens)).toBe("swarm-worker");
    expect(matchJoinToken(tokens.manager, tokens)).toBe("swarm-manager");
  });
  it("grants nothing for a rotated-away, truncated or foreign token", () => {
    expect(matchJoinToken(rotateJoinToken(tokens.worker), tokens)).toBeUndefined();
    expect(matchJoinToken(tokens.worker.slice(0, -1), tokens)).toBeUndefined();
    expect(matchJoinToken("", tokens)).toBeUndefined();
  });
});
