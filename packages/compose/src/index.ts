export type { ComposeConfig, ComposeService } from "./compose-model.ts";
export type { StackExternals, StackFileObject, StackVolume } from "./convert-objects.ts";
export {
  DEFAULT_HEALTHCHECK_INTERVAL_MS,
  DEFAULT_HEALTHCHECK_RETRIES,
  DEFAULT_HEALTHCHECK_TIMEOUT_MS,
  DEFAULT_RESTART_DELAY_MS,
  DEFAULT_STOP_GRACE_PERIOD_MS,
  type StackServiceSpec,
} from "./convert-service.ts";
export { type Diagnostic, type DiagnosticCode, formatDiagnostic, type Position } from "./diagnostic.ts";
export { formatStackConfig } from "./format-stack-config.ts";
export { type Environment, interpolate } from "./interpolation.ts";
export type { KeySchema } from "./key-schema.ts";
export { COMPOSE_KEY_TREE, type KeyCompletion, keysAt } from "./key-tree.ts";
export * from "./limits.ts";
export {
  type FailedStack,
  type LoadedStack,
  type LoadStackInput,
  type LoadStackResult,
  loadStack,
  type StackFile,
} from "./load-stack.ts";
export {
  formatStackPlan,
  type PlanOptions,
  planStackDeploy,
  type ServiceAction,
  type ServicePlan,
  type StackPlan,
} from "./plan-stack-deploy.ts";
export { loadStackFromDisk, readStackObjectData } from "./read-stack-files.ts";
export { type ReferenceLookup, type ResolveResult, resolveStackReferences } from "./resolve-references.ts";
export type { ComposeServiceExtensions, MountOptions } from "./service-extensions.ts";
export { diffFields, type FieldChange, formatFieldChange } from "./spec-diff.ts";
export { STACK_IMAGE_LABEL, STACK_NAMESPACE_LABEL, scopedName } from "./stack-names.ts";
export { formatDurationMs, parseBytes, parseDurationMs, parseNanoCpus } from "./units.ts";
