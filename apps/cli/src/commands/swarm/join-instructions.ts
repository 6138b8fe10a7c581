/** docker's "To add a worker to this swarm, run the following command" block. */
export function joinInstructions(role: "worker" | "manager", token: string, managerAddr: string): string {
  return `To add a ${role} to this swarm, run the following command:\n\n    shoal swarm join --token ${token} ${managerAddr}\n`;
}
