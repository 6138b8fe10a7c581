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

  validate(kind: ObjectKind, object: unknown): StoreObject {
    const schema = OBJECT_SCHEMAS[kind] as unknown as AnySchema;
    const input = object as Record<string, unknown>;
    const spec = input?.spec;
    if (spec === null || typeof spec !== "object") return parseOrThrow(kind, schema, object);
    let parsedSpec = this.parsedSpecs.get(spec);
    if (parsedSpec === undefined) {
      parsedSpec = parseOrThrow(kind, specSchema(kind), spec, "spec.");
      this.parsedSpecs.set(spec, parsedSpec);
    }
    // The rest schema passes spec through unchecked; the output is zod's fresh object.
    const parsed = parseOrThrow(kind, restSchema(kind), object) as unknown as Record<string, unknown>;
    parsed.spec = parsedSpec;
    return parsed as unknown as StoreObject;
  }
}

const specSchemas = new Map<ObjectKind, z.ZodType>();
const restSchemas = new Map<ObjectKind, z.ZodType>();

function specSchema(kind: ObjectKind): z.ZodType {
  let schema = specSchemas.get(kind);
  if (schema === undefined) {
    schema = (OBJECT_SCHEMAS[kind] as unknown as AnySchema).shape.spec as z.ZodType;
    specSchemas.set(kind, schema);
  }
  return schema;
}

function restSchema(kind: ObjectKind): z.ZodType {
  let schema = restSchemas.get(kind);
  if (schema === undefined) {
    schema = (OBJECT_SCHEMAS[kind] as unknown as AnySchema).extend({ spec: z.unknown() });
    restSchemas.set(kind, schema);
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
