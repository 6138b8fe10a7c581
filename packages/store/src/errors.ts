/**
 * Expected failures carry a code. A transaction refused at apply time is refused identically on
 * every manager (the result is part of the replicated state machine), so its error is plain data
 * (StoreErrorData) inside the apply result; update() turns it into a thrown StoreError.
 */
export type StoreErrorCode =
  | "version-conflict" // an update or delete carried a version older than the stored one
  | "name-conflict" // another object of the kind already has the name
  | "not-found" // an update or delete names an object that does not exist
  | "exists" // a create names an id that is already taken
  | "invalid-object" // an object failed its schema
  | "invalid-transaction" // malformed bytes, or the same object twice in one transaction
  | "transaction-too-large" // over proposalBytesMax: use batch()
  | "resync-required" // the change history no longer reaches the requested version
  | "invalid-snapshot" // snapshot bytes are malformed
  | "not-writable" // the store has no proposer
  | "proposal-failed" // the proposer failed (no leader, stopped...): see `cause`
  | "view-expired"; // a read view was used after the store moved on

export interface StoreErrorData {
  readonly code: StoreErrorCode;
  readonly message: string;
  readonly kind?: string;
  readonly id?: string;
}

export class StoreError extends Error {
  readonly kind: string | undefined;
  readonly id: string | undefined;

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    where: { kind?: string; id?: string; cause?: unknown } = {},
  ) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = "StoreError";
    this.kind = where.kind;
    this.id = where.id;
  }

  static from(data: StoreErrorData): StoreError {
    return new StoreError(data.code, data.message, { kind: data.kind, id: data.id });
  }
}

/** Always-on assertion for what must never happen (a programmer error, not an operating one). */
export function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`store invariant violated: ${what}`);
}
