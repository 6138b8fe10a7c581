import type { BatchResult } from "@shoal/store";

/**
 * The first refusal among a batch's transactions, if any. Reads both shapes the store's
 * BatchResult has had (`errors`, then `failures` with the operations each covered).
 */
export function firstBatchError(result: BatchResult<unknown>): Error | undefined {
  const r = result as unknown as {
    readonly errors?: readonly Error[];
    readonly failures?: readonly { readonly error: Error }[];
  };
  return r.failures?.[0]?.error ?? r.errors?.[0];
}
