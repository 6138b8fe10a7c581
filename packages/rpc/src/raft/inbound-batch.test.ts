import { encodeMessage, MessageType, message } from "@shoal/raft";
import { describe, expect, it } from "vitest";
import { decodeInboundBatch } from "./inbound-batch.ts";
import { resolveGrpcRaftLimits } from "./raft-limits.ts";

const limits = resolveGrpcRaftLimits({ batchMessagesMax: 4, messageBytesMax: 64 });
const to2 = encodeMessage(message({ type: MessageType.Heartbeat, from: 1, to: 2, term: 3 }));
const to3 = encodeMessage(message({ type: MessageType.Heartbeat, from: 1, to: 3, term: 3 }));

describe("decodeInboundBatch: a batch is accepted whole or dropped whole, never throws", () => {
  it.each([
    ["not an object", null, /without a message list/],
    ["no list", { messages: "x" }, /without a message list/],
    ["empty", { messages: [] }, /empty batch/],
    ["too many messages", { messages: [to2, to2, to2, to2, to2] }, /5 messages exceeds 4/],
    ["not bytes", { messages: [to2, "hello"] }, /message 1 is not bytes/],
    ["oversized", { messages: [new Uint8Array(65)] }, /65 bytes exceeds 64/],
    ["truncated", { messages: [to2.subarray(0, 3)] }, /message 0 is malformed/],
    [
      "garbage",
      { messages: [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])] },
      /malformed/,
    ],
    ["addressed elsewhere", { messages: [to2, to3] }, /message 1 is addressed to 3, not 2/],
  ])("drops %s", (_name, batch, reason) => {
    const result = decodeInboundBatch(batch, 2, limits);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("accepts a well-formed batch in order", () => {
    const result = decodeInboundBatch({ messages: [to2, Buffer.from(to2)] }, 2, limits);
    expect(result.ok && result.messages.map((m) => m.term)).toEqual([3, 3]);
  });

  it("refuses nonsensical limits when the transport is built", () => {
    expect(() => resolveGrpcRaftLimits({ batchMessagesMax: 0 })).toThrow(
      /batchMessagesMax must be a positive integer/,
    );
    expect(() => resolveGrpcRaftLimits({ reconnectDelayMinMs: 5_000 })).toThrow(
      /reconnectDelayMinMs must be <=/,
    );
  });
});
