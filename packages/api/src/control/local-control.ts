import type { Clock } from "@shoal/manager";
import type { Store } from "@shoal/store";
import type { ApiContext } from "../api-context.ts";
import { formatActor } from "./actor.ts";
import { storeWithActor } from "./actor-store.ts";
import { type ControlInput, type ControlProcedureName, runControlProcedure } from "./control-procedures.ts";

/**
 * `ApiContext.control` for a manager that runs the procedure itself (the leader, or a test): the
 * store it gets stamps every transaction with `<actor> <procedure>`. A follower's node forwards
 * (procedure, input, actor) to the leader, which calls this.
 */
export function createLocalControl(store: Store, clock: Clock): ApiContext["control"] {
  return <N extends ControlProcedureName>(procedure: N, input: ControlInput<N>, actor: string) =>
    runControlProcedure(
      { store: storeWithActor(store, formatActor(actor, procedure)), clock },
      procedure,
      input,
    );
}
