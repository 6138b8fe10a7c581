import { z } from "zod";
import { Labels, ObjectMeta, ObjectName } from "./common.ts";

/** Named limit: a secret's or config's data, as swarm's (500 KiB). */
export const SECRET_DATA_BYTES_MAX = 500 * 1024;

/** Base64 text whose decoded size is at most SECRET_DATA_BYTES_MAX. */
export const Base64Data = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, "data is base64")
  .refine((s) => Math.floor((s.length * 3) / 4) <= SECRET_DATA_BYTES_MAX + 2, "data is over 500 KiB");

export const SecretSpec = z.object({
  name: ObjectName,
  labels: Labels,
  /** Base64. Never part of list results: read it with the separate getter. */
  data: Base64Data,
});
export type SecretSpec = z.infer<typeof SecretSpec>;

export const Secret = z.object({ ...ObjectMeta, spec: SecretSpec });
export type Secret = z.infer<typeof Secret>;

/** A secret as lists and watches show it: everything but the data. */
export type SecretSummary = Omit<Secret, "spec"> & { spec: Omit<SecretSpec, "data"> };
