import { z } from "zod";
import { ObjectMeta } from "./common.ts";

/**
 * The cluster-wide key that signs API session cookies, so a session made on one manager is
 * accepted by all. Normally one object; replacing it logs everybody out.
 */
export const SessionKey = z.object({
  ...ObjectMeta,
  spec: z.object({
    /** 32 random bytes, base64. */
    keyBase64: z.string().min(1),
  }),
});
export type SessionKey = z.infer<typeof SessionKey>;
