/**
 * The shape of a stack file as data: every key with its type and a one-line description. The
 * validator walks a file against it, and the dashboard's editor reads it for completion and
 * hover text. Types name what the file may hold, not how it is stored afterwards.
 */
export type KeySchema =
  | ScalarSchema
  | ObjectSchema
  | MapSchema
  | ListSchema
  | UnionSchema
  | { type: "any"; description: string; status?: KeyStatus };

/** `ignored`: swarm does not use it (a warning); `forbidden`: an error that says what to use. */
export type KeyStatus = { ignored: true } | { forbidden: string };

export type ScalarType = "string" | "integer" | "number" | "boolean" | "duration" | "bytes" | "cpus";

export interface ScalarSchema {
  type: ScalarType;
  description: string;
  enum?: readonly string[];
  nullable?: boolean;
  /** Strings only: booleans are accepted too and written as text (label and option values). */
  loose?: boolean;
  status?: KeyStatus;
}

/** Fixed keys; `x-` keys are allowed and skipped. */
export interface ObjectSchema {
  type: "object";
  description: string;
  keys: Readonly<Record<string, KeySchema>>;
  nullable?: boolean;
  status?: KeyStatus;
}

/** Keys chosen by the user (service names, label names), all with the same value schema. */
export interface MapSchema {
  type: "map";
  description: string;
  values: KeySchema;
  /** Keys starting with `x-` are extensions, not entries (top-level sections). */
  skipExtensions?: boolean;
  nullable?: boolean;
  status?: KeyStatus;
}

export interface ListSchema {
  type: "list";
  description: string;
  items: KeySchema;
  status?: KeyStatus;
}

/** One schema per YAML kind; a kind without one is a type error. */
export interface UnionSchema {
  type: "union";
  description: string;
  scalar?: KeySchema;
  list?: KeySchema;
  map?: KeySchema;
  nullable?: boolean;
  status?: KeyStatus;
}

export const str = (description: string, more: Partial<ScalarSchema> = {}): ScalarSchema => ({
  type: "string",
  description,
  ...more,
});
export const int = (description: string): ScalarSchema => ({ type: "integer", description });
export const num = (description: string): ScalarSchema => ({ type: "number", description });
export const bool = (description: string): ScalarSchema => ({ type: "boolean", description });
export const duration = (description: string): ScalarSchema => ({ type: "duration", description });
export const bytes = (description: string): ScalarSchema => ({ type: "bytes", description });
export const obj = (
  description: string,
  keys: Record<string, KeySchema>,
  more: Partial<ObjectSchema> = {},
): ObjectSchema => ({ type: "object", description, keys, ...more });
export const mapOf = (description: string, values: KeySchema, more: Partial<MapSchema> = {}): MapSchema => ({
  type: "map",
  description,
  values,
  ...more,
});
export const listOf = (description: string, items: KeySchema): ListSchema => ({
  type: "list",
  description,
  items,
});
export const ignored = (description: string): KeySchema => ({
  type: "any",
  description,
  status: { ignored: true },
});
export const forbidden = (description: string, hint: string): KeySchema => ({
  type: "any",
  description,
  status: { forbidden: hint },
});

/** A list of strings or one string (`command`, `dns`, `env_file`). */
export const stringOrList = (description: string): UnionSchema => ({
  type: "union",
  description,
  scalar: str(description),
  list: listOf(description, str(description)),
});

/** `KEY=value` strings or a mapping (`environment`, `labels`, `sysctls`, `extra_hosts`). */
export const listOrDict = (description: string): UnionSchema => ({
  type: "union",
  description,
  list: listOf(description, str("KEY=value")),
  map: mapOf(description, str("a value", { nullable: true, loose: true })),
});

/** What a schema accepts, in words, for "expected ..." messages. */
export function describeType(schema: KeySchema): string {
  switch (schema.type) {
    case "string":
      return schema.enum ? `one of ${schema.enum.map((e) => `"${e}"`).join(", ")}` : "a string";
    case "integer":
      return "a number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "duration":
      return 'a duration such as "10s" or "1m30s"';
    case "bytes":
      return 'a size such as "512M" or "1g"';
    case "cpus":
      return 'a CPU count such as "0.5"';
    case "object":
    case "map":
      return "a mapping";
    case "list":
      return "a list";
    case "any":
      return "any value";
    case "union": {
      const kinds = [
        schema.scalar && describeType(schema.scalar),
        schema.list && "a list",
        schema.map && "a mapping",
      ];
      return kinds.filter(Boolean).join(" or ");
    }
  }
}
