import {
  type Diagnostic,
  formatStackConfig,
  type LoadedStack,
  loadStack,
  planStackDeploy,
  type ServicePlan,
} from "@shoal/compose";
import type { ReadView, ServiceSpec } from "@shoal/store";
import { type ControlContext, parseInput } from "./control-context.ts";
import {
  type PlanStackInput,
  PlanStackInput as PlanStackSchema,
  type StackConfigInput,
  StackConfigInput as StackConfigSchema,
  type ValidateStackInput,
  ValidateStackInput as ValidateStackSchema,
} from "./stack-input.ts";
import { desiredSpecs, isInStack, loadOrThrow, servicesOfStack } from "./stack-load.ts";

type Reader = Pick<ReadView, "services" | "tasks" | "networks" | "secrets" | "configs">;

export interface StackValidation {
  ok: boolean;
  /** `file:line:column` positioned; `formatDiagnostic` prints one. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export type StackObjectKind = "network" | "secret" | "config";

export interface StackObjectPlan {
  kind: StackObjectKind;
  name: string;
  /** create: the deploy makes it; exists: the stack's own, kept; external: must exist already. */
  action: "create" | "exists" | "external";
  /**
   * A secret or config the files define: its key in the stack file and the `file:` it names. A
   * deploy that creates it sends that file's content as secretData/configData[key].
   */
  key?: string;
  file?: string;
}

export interface StackDeployPlan {
  stack: string;
  /** Per service: create | update (with field changes) | unchanged | remove (prune) | keep. */
  services: ServicePlan[];
  objects: StackObjectPlan[];
  /** What stops the deploy (missing external objects, names taken outside the stack). */
  problems: string[];
  warnings: Diagnostic[];
  /** True when deploying changes nothing. */
  isEmpty: boolean;
}

/** Checks stack files without touching the cluster: every problem with its line and column. */
export async function validateStack(
  _ctx: ControlContext,
  input: ValidateStackInput,
): Promise<StackValidation> {
  const p = parseInput(ValidateStackSchema, input, "stack validate");
  const result = loadStack({
    files: p.files,
    stackName: p.name,
    env: p.env,
    attachedFiles: p.attachedFiles,
    ...(p.workingDir === undefined ? {} : { workingDir: p.workingDir }),
  });
  return result.ok
    ? { ok: true, errors: [], warnings: result.warnings }
    : { ok: false, errors: result.errors, warnings: result.warnings };
}

/** `stack config`: the merged, interpolated, normalised stack as YAML. */
export async function stackConfig(
  _ctx: ControlContext,
  input: StackConfigInput,
): Promise<{ yaml: string; warnings: Diagnostic[] }> {
  const p = parseInput(StackConfigSchema, input, "stack config");
  const loaded = loadOrThrow(p);
  return { yaml: formatStackConfig(loaded), warnings: loaded.warnings };
}

/** What `stack deploy` would do now, without doing it. */
export async function planStack(ctx: ControlContext, input: PlanStackInput): Promise<StackDeployPlan> {
  const p = parseInput(PlanStackSchema, input, "stack plan");
  const loaded = loadOrThrow(p);
  return ctx.store.view((v) => planStackIn(v, loaded, p.prune).plan);
}

/** The plan against one consistent view, with the desired specs it compared. */
export function planStackIn(
  view: Reader,
  loaded: LoadedStack,
  prune: boolean,
): { plan: StackDeployPlan; desired: ServiceSpec[] } {
  const stack = loaded.stackName;
  const current = servicesOfStack(view, stack);
  const { specs, missing } = desiredSpecs(view, loaded, current);
  const problems: string[] = [];
  const objects: StackObjectPlan[] = [];
  const own = (
    kind: StackObjectKind,
    name: string,
    found: { spec: { labels: Record<string, string> } } | undefined,
    source: { key: string; file: string } | undefined = undefined,
  ) => {
    const from = source === undefined ? {} : { key: source.key, file: source.file };
    if (found === undefined) return objects.push({ kind, name, action: "create", ...from });
    if (!isInStack(found.spec.labels, stack)) {
      problems.push(
        `${kind} "${name}" already exists and is not part of stack "${stack}": remove it, or declare it external: true in the stack file`,
      );
    }
    return objects.push({ kind, name, action: "exists", ...from });
  };
  for (const n of loaded.networks) own("network", n.name, view.networks.byName(n.name));
  for (const s of loaded.secrets) own("secret", s.name, view.secrets.byName(s.name), s);
  for (const c of loaded.configs) own("config", c.name, view.configs.byName(c.name), c);
  const external = (kind: StackObjectKind, names: string[], exists: (n: string) => boolean) => {
    for (const name of names) {
      objects.push({ kind, name, action: "external" });
      if (!exists(name)) {
        problems.push(
          `stack "${stack}" uses external ${kind} "${name}", which does not exist: create it first (${kind} create ${name}) or drop external: true so the stack creates it`,
        );
      }
    }
  };
  external("network", loaded.externals.networks, (n) => view.networks.byName(n) !== undefined);
  external("secret", loaded.externals.secrets, (n) => view.secrets.byName(n) !== undefined);
  external("config", loaded.externals.configs, (n) => view.configs.byName(n) !== undefined);
  // Only names the files define are planned for creation; anything else missing is external.
  if (problems.length === 0) {
    for (const m of missing)
      problems.push(`stack "${stack}" refers to ${m}, which does not exist: create it first`);
  }
  const services = planStackDeploy(
    current.map((s) => s.spec),
    specs,
    { prune },
  );
  const isEmpty = services.isEmpty && objects.every((o) => o.action !== "create");
  return {
    plan: { stack, services: services.services, objects, problems, warnings: loaded.warnings, isEmpty },
    desired: specs,
  };
}
