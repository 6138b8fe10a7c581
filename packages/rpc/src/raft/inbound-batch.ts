/**
 * Checks one batch received from a peer before anything reaches Raft: the batch is accepted whole
 * or dropped whole. Over-limit counts and sizes, undecodable messages and messages addressed to
 * another node are refused with a reason the transport logs; nothing a peer sends can throw out
 * of here.
 */
import { decodeMessage, type Message, type NodeId, RaftError } from "@shoal/raft";
import type { GrpcRaftLimits } from "./raft-limits.ts";

export type InboundBatch =
  | { readonly ok: true; readonly messages: Message[] }
  | { readonly ok: false; readonly reason: string };

export function decodeInboundBatch(batch: unknown, self: NodeId, limits: GrpcRaftLimits): InboundBatch {
  const payloads = (batch as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(payloads)) return { ok: false, reason: "batch without a message list" };
  if (payloads.length === 0) return { ok: false, reason: "empty batch" };
  if (payloads.length > limits.batchMessagesMax) {
    return { ok: false, reason: `batch of ${payloads.length} messages exceeds ${limits.batchMessagesMax}` };
  }
  const messages: Message[] = [];
  for (const [i, payload] of payloads.entries()) {
    if (!(payload instanceof Uint8Array)) return { ok: false, reason: `message ${i} is not bytes` };
    if (payload.length > limits.messageBytesMax) {
      return {
        ok: false,
        reason: `message ${i} of ${payload.length} bytes exceeds ${limits.messageBytesMax}`,
      };
    }
    let message: Message;
    try {
      message = decodeMessage(payload);
    } catch (err) {
      if (err instanceof RaftError || err instanceof RangeError) {
        return { ok: false, reason: `message ${i} is malformed: ${err.message}` };
      }
      return { ok: false, reason: `message ${i} could not be decoded: ${String(err)}` };
    }
    if (message.to !== self)
      return { ok: false, reason: `message ${i} is addressed to ${message.to}, not ${self}` };
    messages.push(message);
  }
  return { ok: true, messages };
}
