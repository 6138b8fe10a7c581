/**
 * `swarm leave`: the node removes its own task containers, as swarm does, found by the node label
 * every task container carries (`com.shoal.node.id`), so other nodes' containers on a shared
 * engine are left alone. Called after the agent stopped (it would otherwise restart them).
 */
import { DEFAULT_AGENT_LIMITS, DockerExecutor } from "@shoal/agent";
import type { Logger } from "@shoal/raft";

/** Removes every task container of `nodeId` on the engine at `engineAddress`; returns how many. */
export async function removeNodeTaskContainers(
  engineAddress: string,
  nodeId: string,
  logger: Logger,
): Promise<number> {
  const executor = new DockerExecutor(engineAddress, DEFAULT_AGENT_LIMITS, { nodeId });
  try {
    const containers = await executor.listTaskContainers();
    await Promise.all(containers.map((c) => executor.remove(c.containerId)));
    return containers.length;
  } catch (error) {
    logger.warn("swarm leave: could not remove this node's task containers", {
      engine: engineAddress,
      error: String(error),
    });
    return 0;
  } finally {
    await executor.close();
  }
}
