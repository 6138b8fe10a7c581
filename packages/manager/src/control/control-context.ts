import type { Store, WriteTx } from "@shoal/store";
import { StoreError } from "@shoal/store";
import type { z } from "zod";
import type { Clock } from "../loop/clock.ts";
import { ControlError } from "./control-error.ts";

/** What every control API function works on. */
export interface ControlContext {
  readonly store: Store;
  /** Stamps update status times. */
  readonly clock: Clock;
}

/** Named limit: retries of a write that lost a race with another writer (version conflict). */
export const CONTROL_WRITE_ATTEMPTS_MAX = 3;

/** Parses input with its schema; a failure is an invalid-argument error listing the problems. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`)
    .join("; ");
  throw new ControlError("invalid-argument", `invalid ${what}: ${issues}: fix these fields and try again`);
}

/**
 * Runs a read-modify-write transaction. Retries when another writer got in between (version
 * conflict), unless `expectedVersion` pinned the version the caller read. Store refusals become
 * ControlErrors.
 */
export async function write<T>(ctx: ControlContext, what: string, fn: (tx: WriteTx) => T): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await ctx.store.update(fn)).value;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      if (error.code === "version-conflict" && attempt < CONTROL_WRITE_ATTEMPTS_MAX) continue;
      throw fromStoreError(error, what);
    }
  }
}

function fromStoreError(error: StoreError, what: string): ControlError {
  switch (error.code) {
    case "name-conflict":
      return new ControlError("already-exists", `${what}: ${error.message}: choose another name`);
    case "version-conflict":
      return new ControlError("conflict", `${what}: ${error.message}: read it again and retry`);
    case "not-found":
      return new ControlError("not-found", `${what}: ${error.message}`);
    case "invalid-object":
    case "transaction-too-large":
      return new ControlError("invalid-argument", `${what}: ${error.message}`);
    default:
      return new ControlError("failed-precondition", `${what}: ${error.message}: try again`);
  }
}

/** Refuses a write when the caller pinned a version and the object has moved on. */
export function checkVersion(kind: string, name: string, stored: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== stored) {
    throw new ControlError(
      "conflict",
      `${kind} "${name}" changed since you read it (you had version ${expected}, it is now ${stored}): inspect it again and retry`,
    );
  }
}
