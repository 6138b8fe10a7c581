import { deflateRawSync, inflateRawSync } from "node:zlib";
import { deepFreeze } from "./deep-freeze.ts";
import { StoreError } from "./errors.ts";
import type { ObjectValidator } from "./object-validation.ts";
import { OBJECT_KINDS, type StoreObject } from "./objects/kinds.ts";
import { Tables } from "./tables/tables.ts";

/** First byte of an encoded snapshot; a new encoding gets a new tag. */
export const SNAPSHOT_FORMAT_JSON = 1;
/** The same JSON, compressed with raw deflate (level 1): ~12× smaller for 100,000 tasks. */
export const SNAPSHOT_FORMAT_JSON_DEFLATE = 2;

/**
 * Encoding (format 2): the tag byte, then raw-deflated UTF-8 JSON (format 1 is the same JSON
 * uncompressed; both decode)
 *   { "version": n, "taskSpecs": [spec...], "objects": { kind: [object...] } }
 * Objects are sorted by id, so two stores holding the same state give the same bytes. Task specs
 * are written once each (tasks made together share one) and tasks refer to them by position.
 */
export function encodeSnapshot(tables: Tables, version: number): Uint8Array {
  const specIndex = new Map<unknown, number>();
  const specTexts = new Map<string, number>();
  const specs: string[] = [];
  const kinds: string[] = [];
  for (const kind of OBJECT_KINDS) {
    const objects = [...tables.any(kind).values()].sort(byId);
    const texts = objects.map((object) => {
      if (kind !== "task") return JSON.stringify(object);
      let index = specIndex.get(object.spec);
      if (index === undefined) {
        const text = JSON.stringify(object.spec);
        index = specTexts.get(text);
        if (index === undefined) {
          index = specs.length;
          specs.push(text);
          specTexts.set(text, index);
        }
        specIndex.set(object.spec, index);
      }
      return JSON.stringify({ ...object, spec: index });
    });
    kinds.push(`${JSON.stringify(kind)}:[${texts.join(",")}]`);
  }
  const text = `{"version":${version},"taskSpecs":[${specs.join(",")}],"objects":{${kinds.join(",")}}}`;
  const body = deflateRawSync(Buffer.from(text, "utf8"), { level: 1 });
  const out = new Uint8Array(body.length + 1);
  out[0] = SNAPSHOT_FORMAT_JSON_DEFLATE;
  out.set(body, 1);
  return out;
}

export interface DecodedSnapshot {
  readonly version: number;
  readonly tables: Tables;
}

/**
 * Rebuilds the tables from a snapshot into new tables (the caller swaps them in), validating every
 * object when a validator is given. Objects keep the snapshot's key order (zod's output is only
 * checked, not kept), so a restored store encodes to the same bytes as the one it came from. Throws StoreError "invalid-snapshot" on malformed bytes and
 * "invalid-object" on an object that fails its schema.
 */
export function decodeSnapshot(data: Uint8Array, validator: ObjectValidator | undefined): DecodedSnapshot {
  const format = data[0];
  if (format !== SNAPSHOT_FORMAT_JSON && format !== SNAPSHOT_FORMAT_JSON_DEFLATE) {
    throw malformed(`unknown snapshot format ${format ?? "(empty)"}`);
  }
  let raw: { version?: unknown; taskSpecs?: unknown; objects?: Record<string, unknown> };
  try {
    const body = data.subarray(1);
    const json = format === SNAPSHOT_FORMAT_JSON ? body : inflateRawSync(body);
    raw = JSON.parse(new TextDecoder().decode(json));
  } catch (e) {
    throw malformed(`snapshot is not valid (deflate, JSON): ${(e as Error).message}`);
  }
  if (typeof raw?.version !== "number" || !Array.isArray(raw.taskSpecs) || typeof raw.objects !== "object") {
    throw malformed("snapshot lacks version, taskSpecs or objects");
  }
  const specs = raw.taskSpecs;
  const tables = new Tables();
  for (const kind of OBJECT_KINDS) {
    const objects = raw.objects?.[kind] ?? [];
    if (!Array.isArray(objects)) throw malformed(`snapshot objects.${kind} is not a list`);
    const table = tables.any(kind);
    for (const rawObject of objects as Record<string, unknown>[]) {
      if (rawObject === null || typeof rawObject !== "object") throw malformed(`a ${kind} is not an object`);
      if (kind === "task") {
        const spec = specs[rawObject?.spec as number];
        if (spec === undefined) throw malformed("a task refers to a spec the snapshot lacks");
        rawObject.spec = spec;
      }
      validator?.check(kind, rawObject);
      const object = rawObject as unknown as StoreObject;
      if (typeof object?.id !== "string" || table.get(object.id) !== undefined) {
        throw malformed(`snapshot has a ${kind} without an id, or twice`);
      }
      table.put(deepFreeze(object));
    }
  }
  return { version: raw.version, tables };
}

function byId(a: StoreObject, b: StoreObject): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function malformed(message: string): StoreError {
  return new StoreError("invalid-snapshot", message);
}
