/** Wire shapes of the Raft membership calls (proto/raft.proto), checked at both ends. */
import { z } from "zod";

const raftId = z.number().int().positive();
const addr = z.string().min(3).max(300);

export const ResolveAddressRequest = z.object({ raft_id: raftId });
export type ResolveAddressRequest = z.infer<typeof ResolveAddressRequest>;
export const ResolveAddressResponse = z.object({ addr });
export type ResolveAddressResponse = z.infer<typeof ResolveAddressResponse>;

export const RaftMember = z.object({ raft_id: raftId, node_id: z.string().min(1).max(64), addr });
export type RaftMember = z.infer<typeof RaftMember>;

export const JoinRequest = z.object({ addr });
export type JoinRequest = z.infer<typeof JoinRequest>;
export const JoinResponse = z.object({
  raft_id: raftId,
  members: z.array(RaftMember).max(1_000),
  removed: z.array(raftId).max(100_000),
});
export type JoinResponse = z.infer<typeof JoinResponse>;

export const LeaveRequest = z.object({ raft_id: raftId });
export type LeaveRequest = z.infer<typeof LeaveRequest>;
export const LeaveResponse = z.object({});
export type LeaveResponse = z.infer<typeof LeaveResponse>;
