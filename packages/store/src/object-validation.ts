import { z } from "zod";
import { StoreError } from "./errors.ts";
import { OBJECT_SCHEMAS, type ObjectKind, type StoreObject } from "./objects/kinds.ts";

type AnySchema = z.ZodObject<z.ZodRawShape>;

/**
 * Validates objects against their kind's schema. A kind's `spec` is validated once per distinct
 * spec object (tasks made together share their service's task template), and the parsed spec is
 * shared again in the output, so a batch of 100,000 tasks pays for one spec, not 100,000.
 */
export class ObjectValidator {
  private readonly parsedSpecs = new WeakMap<object, unknown>();

  /** A whole stored object (updates, snapshots). Returns zod's output: a fresh object. */
  validate(kind: ObjectKind, object: unknown): StoreObject {
    return this.parse(kind, object, restSchema(kind, "stored"));
  }

  /**
   * Throws when the object fails its schema; keeps nothing of zod's output, so the object keeps
   * its own key order (a restored snapshot must re-encode to the same bytes).
   */
  check(kind: ObjectKind, object: unknown): void {
    this.validate(kind, object);
  }

  /**
   * A new object without the store's fields (id, version, createdAtMs, updatedAtMs): returns
   * zod's fresh output for the caller to add them to, which saves copying the object twice.
   */
  validateNew(kind: ObjectKind, object: unknown): Record<string, unknown> {
    return this.parse(kind, object, restSchema(kind, "new")) as unknown as Record<string, unknown>;
  }

  private parse(kind: ObjectKind, object: unknown, rest: z.ZodType): StoreObject {
    const spec = (object as { spec?: unknown } | null)?.spec;
    if (spec === null || typeof spec !== "object") {
      return parseOrThrow(kind, OBJECT_SCHEMAS[kind] as unknown as AnySchema, object);
    }
    let parsedSpec = this.parsedSpecs.get(spec);
    if (parsedSpec === undefined) {
      parsedSpec = parseOrThrow(kind, specSchema(kind), spec, "spec.");
      this.parsedSpecs.set(spec, parsedSpec);
    }
    // The rest schema passes spec through unchecked; the output is zod's fresh object.
    const parsed = parseOrThrow(kind, rest, object) as unknown as Record<string, unknown>;
    parsed.spec = parsedSpec;
    return parsed as unknown as StoreObject;
  }
}

const specSchemas = new Map<ObjectKind, z.ZodType>();
const restSchemas = new Map<string, z.ZodType>();

function specSchema(kind: ObjectKind): z.ZodType {
  let schema = specSchemas.get(kind);
  if (schema === undefined) {
    schema = (OBJECT_SCHEMAS[kind] as unknown as AnySchema).shape.spec as z.ZodType;
    specSchemas.set(kind, schema);
  }
  return schema;
}

/** The kind's schema with spec passed through; for "new" objects, without the store's fields. */
function restSchema(kind: ObjectKind, form: "stored" | "new"): z.ZodType {
  const key = `${kind}/${form}`;
  let schema = restSchemas.get(key);
  if (schema === undefined) {
    const full = (OBJECT_SCHEMAS[kind] as unknown as AnySchema).extend({ spec: z.unknown() });
    schema =
      form === "stored" ? full : full.omit({ id: true, version: true, createdAtMs: true, updatedAtMs: true });
    restSchemas.set(key, schema);
  }
  return schema;
}

function parseOrThrow(kind: ObjectKind, schema: z.ZodType, value: unknown, prefix = ""): StoreObject {
  const result = schema.safeParse(value);
  if (result.success) return result.data as StoreObject;
  const id = (value as { id?: unknown })?.id;
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${prefix}${i.path.join(".") || "(object)"}: ${i.message}`)
    .join("; ");
  throw new StoreError("invalid-object", `${kind} is not valid: ${issues}`, {
    kind,
    id: typeof id === "string" ? id : undefined,
  });
}
