/** What the server said about a failure: its message (already actionable) and its Shoal code. */
import { TRPCClientError } from "@trpc/client";

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function shoalCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { shoalCode?: string } | undefined;
  return data?.shoalCode;
}

/** Whether the node answered that it is a locked manager (autolock, after a restart). */
export function isSwarmLocked(error: unknown): boolean {
  return errorMessage(error).startsWith("Swarm is encrypted and needs to be unlocked");
}
