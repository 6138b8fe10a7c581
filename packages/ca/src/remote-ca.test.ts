import { describe, expect, it } from "vitest";
import { generateJoinToken } from "./join-token.ts";
import { CA_MISMATCH_MESSAGE, checkRemoteRootCa } from "./remote-ca.ts";
import { createRootCa } from "./root-ca.ts";

describe("checkRemoteRootCa (joining side)", () => {
  it("accepts the CA whose PEM the token pins, and returns it unchanged", async () => {
    const root = await createRootCa();
    const token = generateJoinToken(root.certPem);
    expect(checkRemoteRootCa(token, root.certPem)).toBe(root.certPem);
  });

  it("refuses another swarm's CA with a message naming the danger", async () => {
    const ours = await createRootCa();
    const theirs = await createRootCa();
    const token = generateJoinToken(ours.certPem);
    expect(() => checkRemoteRootCa(token, theirs.certPem)).toThrow(CA_MISMATCH_MESSAGE);
    expect(CA_MISMATCH_MESSAGE).toBe(
      "the remote's CA does not match the join token: you may be talking to the wrong swarm or to an impostor",
    );
    try {
      checkRemoteRootCa(token, theirs.certPem);
    } catch (err) {
      expect(err).toMatchObject({ code: "CA_MISMATCH" });
    }
  });

  it("refuses our CA with an extra root appended (the digest covers the whole bundle)", async () => {
    const ours = await createRootCa();
    const extra = await createRootCa();
    const token = generateJoinToken(ours.certPem);
    expect(() => checkRemoteRootCa(token, ours.certPem + extra.certPem)).toThrow(
      /does not match the join token/,
    );
  });

  it("rejects a malformed token before looking at the CA", async () => {
    const root = await createRootCa();
    expect(() => checkRemoteRootCa("SWMTKN-1-abc", root.certPem)).toThrow(/^invalid join token: /);
  });
});
