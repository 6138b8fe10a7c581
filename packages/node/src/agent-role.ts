/**
 * The node's agent component: runs on every node in a swarm (managers too). It checks the local
 * Docker Engine and says plainly when none answers (tasks cannot run here; everything else works).
 * The session with the dispatcher, which feeds the agent its assignments, plugs in here.
 */
import { DEFAULT_AGENT_LIMITS, DockerExecutor, engineAddressFromEnv } from "@shoal/agent";
import type { Logger } from "@shoal/raft";

export interface AgentRoleOptions {
  readonly nodeId: string;
  readonly dockerHost?: string;
  readonly hostname: string;
  readonly logger: Logger;
}

/** Whether a Docker Engine answers at `address` (default DOCKER_HOST or docker's socket). */
export async function checkDockerEngine(
  address: string = engineAddressFromEnv(),
): Promise<{ address: string; available: boolean; error?: string }> {
  try {
    await new DockerExecutor(address, DEFAULT_AGENT_LIMITS).describeNode();
    return { address, available: true };
  } catch (error) {
    return { address, available: false, error: String(error) };
  }
}

export class AgentRole {
  private constructor(
    readonly engineAddress: string,
    readonly engineAvailable: boolean,
  ) {}

  static async start(options: AgentRoleOptions): Promise<AgentRole> {
    const engineAddress = options.dockerHost ?? engineAddressFromEnv();
    const executor = new DockerExecutor(engineAddress, DEFAULT_AGENT_LIMITS);
    let available = true;
    try {
      await executor.describeNode();
    } catch (error) {
      available = false;
      options.logger.warn(
        `no Docker Engine answers at ${engineAddress}: tasks cannot run on this node; the rest of the node works`,
        { error: String(error) },
      );
    }
    return new AgentRole(engineAddress, available);
  }

  async stop(): Promise<void> {}
}
