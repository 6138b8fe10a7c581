/** promote / demote: `nodes.setRole` for each node, with docker's messages. */
import type { CliContext } from "../../cli-context.ts";
import { resolveSelf } from "../../lookups.ts";

export async function setRoles(
  ctx: CliContext,
  refs: readonly string[],
  role: "manager" | "worker",
): Promise<void> {
  const api = await ctx.api();
  for (const ref of refs) {
    const node = await resolveSelf(api, ref);
    const before = await api.nodes.inspect.query({ node });
    if (before.spec.role === role) {
      console.log(`Node ${ref} is already a ${role}.`);
      continue;
    }
    await api.nodes.setRole.mutate({ node, role });
    console.log(
      role === "manager"
        ? `Node ${ref} promoted to a manager in the swarm.`
        : `Manager ${ref} demoted in the swarm.`,
    );
  }
}
