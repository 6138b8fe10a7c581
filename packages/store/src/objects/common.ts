import { z } from "zod";

/** An object id: 25 characters of base36 (17 random bytes), as swarm's. */
export const ObjectId = z.string().regex(/^[0-9a-z]{25}$/, "an id is 25 lower-case base36 characters");

/** A name users type: docker's rules (letters, digits, `_.-`, not starting with a separator). */
export const ObjectName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a name starts with a letter or digit, then letters, digits, _ . -");

export const Labels = z.record(z.string(), z.string());

/** A non-negative integer count or size. */
export const Count = z.number().int().min(0);
/** A duration or timestamp in milliseconds. */
export const Milliseconds = z.number().int().min(0);

/**
 * Fields every stored object carries. `version` is the Raft index of the object's last change;
 * an update or delete must carry the version it read (optimistic concurrency). The store sets
 * version, createdAtMs and updatedAtMs when it applies a transaction: values sent in a create are
 * ignored.
 */
export const ObjectMeta = {
  id: ObjectId,
  version: Count,
  createdAtMs: Milliseconds,
  updatedAtMs: Milliseconds,
};

export const Resources = z.object({
  /** CPU in units of 1e-9 CPUs (docker's NanoCPUs). */
  nanoCpus: Count,
  memoryBytes: Count,
});
export type Resources = z.infer<typeof Resources>;

export const Platform = z.object({ os: z.string(), arch: z.string() });
export type Platform = z.infer<typeof Platform>;

export const Driver = z.object({ name: z.string().min(1), options: Labels });
export type Driver = z.infer<typeof Driver>;
