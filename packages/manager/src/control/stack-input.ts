import { Base64Data, ObjectName } from "@shoal/store";
import { z } from "zod";

/**
 * Inputs of the stack calls. Stack files travel as text (the CLI reads them, the dashboard sends
 * its editor's buffer); the manager never reads files. Secrets and configs the stack creates need
 * their content, sent base64 by their key in the stack file.
 */

export const StackName = ObjectName;

/** One `-c` file: the name diagnostics report it under, and its text. */
export const StackFileInput = z.object({
  name: z.string().min(1).max(4_096),
  text: z.string(),
});

const StackSource = {
  /** In `-c` order: later files override earlier ones. */
  files: z.array(StackFileInput).min(1, "give at least one stack file"),
  /** Variables for `${VAR}` (the CLI sends its process environment). */
  env: z.record(z.string(), z.string()).default({}),
  /** Directory relative paths resolve against (absolute, so bind mounts are). */
  workingDir: z.string().min(1).optional(),
  /** env_files the files refer to, already read, by resolved path. */
  attachedFiles: z.record(z.string(), z.string()).default({}),
};

export const ValidateStackInput = z.object({
  /** Default "stack": only the names of the objects depend on it. */
  name: StackName.default("stack"),
  ...StackSource,
});
export type ValidateStackInput = z.input<typeof ValidateStackInput>;

export const StackConfigInput = ValidateStackInput;
export type StackConfigInput = z.input<typeof StackConfigInput>;

export const PlanStackInput = z.object({
  name: StackName,
  ...StackSource,
  /** Remove the stack's services the files no longer define. */
  prune: z.boolean().default(false),
});
export type PlanStackInput = z.input<typeof PlanStackInput>;

/** Content of the secrets and configs the stack creates, base64, by their key in the stack file. */
const ObjectData = {
  secretData: z.record(z.string(), Base64Data).default({}),
  configData: z.record(z.string(), Base64Data).default({}),
};

export const DeployStackInput = PlanStackInput.extend(ObjectData);
export type DeployStackInput = z.input<typeof DeployStackInput>;
export type ParsedDeployStackInput = z.output<typeof DeployStackInput>;

export const StackRefInput = z.object({ name: StackName });
export type StackRefInput = z.input<typeof StackRefInput>;

export const RevertStackInput = z.object({
  name: StackName,
  revision: z.number().int().min(1),
  /** Remove services the revision did not have (default: yes, the stack becomes that revision). */
  prune: z.boolean().default(true),
  ...ObjectData,
});
export type RevertStackInput = z.input<typeof RevertStackInput>;

export const InspectStackRevisionInput = z.object({ name: StackName, revision: z.number().int().min(1) });
export type InspectStackRevisionInput = z.input<typeof InspectStackRevisionInput>;
