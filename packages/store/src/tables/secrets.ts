import type { Secret, SecretSummary } from "../objects/secret.ts";
import { Table } from "./table.ts";
import { TableReader, type ViewGuard } from "./table-reader.ts";

export function createSecretTable(): Table<Secret> {
  return new Table<Secret>({ kind: "secret", uniqueName: (o) => o.spec.name, indexes: {} });
}

/** A secret without its data: what lists, finds and watches show. */
export function summarizeSecret(secret: Secret): SecretSummary {
  const { data: _data, ...spec } = secret.spec;
  return Object.freeze({ ...secret, spec: Object.freeze(spec) });
}

/** get/all/byName leave the data out; only getWithData returns it. */
export class SecretReader extends TableReader<Secret, SecretSummary> {
  constructor(table: Table<Secret>, guard: ViewGuard) {
    super(table, guard, summarizeSecret);
  }

  byName(name: string): SecretSummary | undefined {
    return this.byUniqueName(name);
  }

  /** The whole secret, data included: for the dispatcher sending it to a node that needs it. */
  getWithData(id: string): Secret | undefined {
    this.guard.check();
    return this.table.get(id);
  }
}
