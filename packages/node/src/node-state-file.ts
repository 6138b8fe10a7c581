/**
 * The node state file: who this node is in which swarm, written atomically (tmp + fsync +
 * rename) whenever it changes. Absent = the node is in no swarm.
 */
import { z } from "zod";
import { readDataDirJson, removeDataDirFile, writeDataDirJson } from "./data-dir-json.ts";

export const NodeStateFile = z.object({
  /** Format version of this file. */
  version: z.literal(1),
  nodeId: z.string().min(1),
  clusterId: z.string().min(1),
  /** The role of the node's current certificate. */
  role: z.enum(["manager", "worker"]),
  /** This node's Raft id while it is (or is becoming) a manager; 0 otherwise. */
  raftId: z.number().int().min(0),
  /** Addresses of the managers this node knows of ("host:port"), for joining and reconnecting. */
  managers: z.array(z.object({ raftId: z.number().int().min(0), addr: z.string().min(3) })),
  /** The address other nodes reach this one at (host:port). */
  advertiseAddr: z.string().min(3),
});
export type NodeStateFile = z.infer<typeof NodeStateFile>;

export function readNodeState(path: string): Promise<NodeStateFile | undefined> {
  return readDataDirJson(path, NodeStateFile, "node state file");
}

export async function writeNodeState(path: string, state: NodeStateFile): Promise<void> {
  await writeDataDirJson(path, NodeStateFile.parse(state));
}

export async function removeNodeState(path: string): Promise<void> {
  await removeDataDirFile(path);
}
