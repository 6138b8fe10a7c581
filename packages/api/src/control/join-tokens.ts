import { rotateJoinToken as rotateToken } from "@shoal/ca";
import { type ControlContext, parseInput, theCluster, write } from "@shoal/manager";
import type { ReadView } from "@shoal/store";
import { z } from "zod";

export const JoinTokenRole = z.enum(["worker", "manager"]);
export const JoinTokenInput = z.object({ role: JoinTokenRole });
export const JoinTokenOutput = z.object({ role: JoinTokenRole, token: z.string() });

/** `swarm join-token <role>`: the current token (read from this manager's store). */
export function readJoinToken(v: ReadView, role: z.infer<typeof JoinTokenRole>): string {
  return theCluster(v.clusters.all()).rootCa.joinTokens[role];
}

/** `swarm join-token --rotate <role>`: a fresh secret with the same CA digest; the old one stops working. */
export async function rotateJoinToken(
  ctx: ControlContext,
  input: z.input<typeof JoinTokenInput>,
): Promise<z.infer<typeof JoinTokenOutput>> {
  const { role } = parseInput(JoinTokenInput, input, "join-token rotate");
  const token = await write(ctx, `rotate the ${role} join token`, (tx) => {
    const cluster = theCluster(tx.clusters.all());
    const next = rotateToken(cluster.rootCa.joinTokens[role]);
    tx.update("cluster", {
      ...cluster,
      rootCa: { ...cluster.rootCa, joinTokens: { ...cluster.rootCa.joinTokens, [role]: next } },
    });
    return next;
  });
  return { role, token };
}
