/** The flags every task listing takes (`node ps`, `service ps`, `stack ps`): -f, -q, --format, --no-trunc. */
import { z } from "zod";
import { filterOption, formatOption, quietOption } from "../command.ts";

export const taskListOptions = {
  ...filterOption,
  ...quietOption,
  ...formatOption,
  "no-trunc": { type: "boolean" },
} as const;

/** The schema fields for taskListOptions; a command adds its own `args`. */
export const taskListFields = {
  filter: z.array(z.string()).optional(),
  quiet: z.boolean().optional(),
  format: z.string().optional(),
  "no-trunc": z.boolean().optional(),
};
