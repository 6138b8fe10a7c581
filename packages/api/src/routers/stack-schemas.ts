import { StackName } from "@shoal/manager";
import { StackRevision } from "@shoal/store";
import { z } from "zod";

/** Output schemas of the stacks router (the inputs are the manager's: DeployStackInput, ...). */

/** A stack file problem at `file:line:column` (compose's Diagnostic). */
export const StackDiagnostic = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  /** Dotted key path, e.g. `services.web.deploy.replicas`. */
  path: z.string(),
  message: z.string(),
  severity: z.enum(["error", "warning"]),
  code: z.string(),
});

export const StackValidation = z.object({
  ok: z.boolean(),
  errors: z.array(StackDiagnostic),
  warnings: z.array(StackDiagnostic),
});

export const StackConfigOutput = z.object({ yaml: z.string(), warnings: z.array(StackDiagnostic) });

export const StackServicePlan = z.object({
  name: z.string(),
  action: z.enum(["create", "update", "unchanged", "remove", "keep"]),
  /** For update: each changed field, `path: before → after`. */
  changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
});

export const StackDeployPlanView = z.object({
  stack: z.string(),
  services: z.array(StackServicePlan),
  objects: z.array(
    z.object({
      kind: z.enum(["network", "secret", "config"]),
      name: z.string(),
      action: z.enum(["create", "exists", "external"]),
      /** Secrets and configs the files define: the key in the stack file and the file it names. */
      key: z.string().optional(),
      file: z.string().optional(),
    }),
  ),
  problems: z.array(z.string()),
  warnings: z.array(StackDiagnostic),
  isEmpty: z.boolean(),
});

export const StackDeployResultView = z.object({
  stack: z.string(),
  revision: z.number().int(),
  plan: StackDeployPlanView,
  serviceIds: z.record(z.string(), z.string()),
});

export const StackSummaryView = z.object({ name: z.string(), services: z.number().int() });

export const RemovedStackView = z.object({
  stack: z.string(),
  services: z.array(z.string()),
  networks: z.array(z.string()),
  secrets: z.array(z.string()),
  configs: z.array(z.string()),
});

export const StackRevisionDetailView = z.object({ revision: StackRevision, diff: z.array(StackServicePlan) });

/** Every revision in this manager's history (the cluster keeps only the latest 10), newest first. */
export const StackRevisionsInput = z.object({
  name: StackName,
  limit: z.number().int().min(1).max(1_000).default(100),
});
