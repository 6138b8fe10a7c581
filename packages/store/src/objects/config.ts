import { z } from "zod";
import { Labels, ObjectMeta, ObjectName } from "./common.ts";
import { Base64Data } from "./secret.ts";

export const ConfigSpec = z.object({
  name: ObjectName,
  labels: Labels,
  /** Base64; configs are not secret, so lists show the data. */
  data: Base64Data,
});
export type ConfigSpec = z.infer<typeof ConfigSpec>;

export const Config = z.object({ ...ObjectMeta, spec: ConfigSpec });
export type Config = z.infer<typeof Config>;
