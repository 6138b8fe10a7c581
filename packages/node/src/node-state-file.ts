/**
 * The node state file: who this node is in which swarm, written atomically (tmp + fsync +
 * rename) whenever it changes. Absent = the node is in no swarm.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import { z } from "zod";

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

export async function readNodeState(path: string): Promise<NodeStateFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = NodeStateFile.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `node state file ${path} is not valid (${parsed.error.issues[0]?.message}): restore it from a backup, or remove the data directory and join the swarm again`,
    );
  }
  return parsed.data;
}

export async function writeNodeState(path: string, state: NodeStateFile): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(NodeStateFile.parse(state), null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export async function removeNodeState(path: string): Promise<void> {
  await rm(path, { force: true });
}
