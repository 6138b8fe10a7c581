/**
 * What the leader answers a forwarded control call with: the procedure's result and the Raft
 * index its store had applied once the procedure returned. The follower waits (briefly) until its
 * own replica has applied that index before answering its caller, so whoever wrote through a
 * follower reads the write there at once: a user created through it can log in on it, a revoked
 * token is refused by it.
 */
import { z } from "zod";

/** Named limit: how long a follower waits for its replica to catch up with a forwarded write. */
export const READ_YOUR_WRITES_WAIT_MS = 2_000;
const APPLY_POLL_MS = 5;

const Envelope = z.object({ value: z.unknown(), appliedIndex: z.number().int().nonnegative() });

export function encodeForwardedResult(value: unknown, appliedIndex: number): string {
  return JSON.stringify({ value: value ?? null, appliedIndex });
}

export function decodeForwardedResult(json: string): { value: unknown; appliedIndex: number } {
  const parsed = Envelope.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error("the leader answered a forwarded call in an unknown shape");
  return { value: parsed.data.value, appliedIndex: parsed.data.appliedIndex };
}

/**
 * Resolves once `store.version` (its applied Raft index) reaches `index`, or after `timeoutMs`:
 * the write is committed either way, only this replica is slow to show it.
 */
export async function waitForApplied(
  store: { readonly version: number },
  index: number,
  timeoutMs = READ_YOUR_WRITES_WAIT_MS,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (store.version < index) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, APPLY_POLL_MS));
  }
  return true;
}
