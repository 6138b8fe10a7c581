import type { StackRevision } from "../objects/stack-revision.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createStackRevisionTable(): Table<StackRevision> {
  return new Table<StackRevision>({
    kind: "stackRevision",
    // One object per revision of a stack.
    uniqueName: (o) => `${o.spec.name}/${o.spec.revision}`,
    indexes: { stack: (o) => o.spec.name },
  });
}

export class StackRevisionReader extends TableReader<StackRevision> {
  /** The kept revisions of a stack, oldest first. */
  byStack(stack: string): StackRevision[] {
    return this.find("stack", stack).sort((a, b) => a.spec.revision - b.spec.revision);
  }

  byRevision(stack: string, revision: number): StackRevision | undefined {
    return this.byUniqueName(`${stack}/${revision}`);
  }
}
