import { seededRandomBytes } from "../objects/ids.ts";
import { Store, type StoreOptions } from "../store.ts";
import { LocalLog } from "./local-log.ts";

/** A store on a LocalLog with seeded ids and a fake clock, for tests. */
export function createTestStore(options: Partial<StoreOptions> & { seed?: number; hold?: boolean } = {}): {
  store: Store;
  log: LocalLog;
  clock: { nowMs: number };
} {
  const log = new LocalLog({ hold: options.hold });
  const clock = { nowMs: 1_000 };
  const store = log.attach(
    new Store({
      randomBytes: seededRandomBytes(options.seed ?? 1),
      clock: () => clock.nowMs,
      ...options,
      proposer: options.proposer ?? log,
    }),
  );
  return { store, log, clock };
}
