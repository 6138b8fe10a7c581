import { Harness } from "../orchestrator/testing/harness.ts";
import type { ControlContext } from "./control-context.ts";
import type { ControlError } from "./control-error.ts";

/** Test helper: a store with a cluster object, a fake clock and a control context on them. */
export async function controlSetup(): Promise<{ h: Harness; ctx: ControlContext }> {
  const h = await Harness.create();
  return { h, ctx: { store: h.store, clock: h.clock } };
}

/** Test helper: the ControlError a call fails with (fails the test when it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<ControlError> {
  try {
    await promise;
  } catch (error) {
    return error as ControlError;
  }
  throw new Error("expected the call to fail");
}
