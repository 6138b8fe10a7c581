import {
  formatDiagnostic,
  type LoadedStack,
  loadStack,
  resolveStackReferences,
  STACK_NAMESPACE_LABEL,
} from "@shoal/compose";
import type { ReadView, Service, ServiceSpec } from "@shoal/store";
import { ControlError } from "./control-error.ts";

type Reader = Pick<ReadView, "services" | "tasks" | "networks" | "secrets" | "configs">;

/** Named limit: diagnostics quoted in an error message (stacks.validate returns them all). */
export const STACK_ERRORS_SHOWN_MAX = 10;

/** Ids given to objects a deploy will create, so a plan can compare specs before they exist. */
export const PLANNED_ID_PREFIX = "new:";

export interface StackSourceInput {
  name: string;
  files: { name: string; text: string }[];
  env: Record<string, string>;
  workingDir?: string | undefined;
  attachedFiles: Record<string, string>;
}

/** Loads the stack files; their problems become one invalid-argument error, positioned. */
export function loadOrThrow(input: StackSourceInput): LoadedStack {
  const result = loadStack({
    files: input.files,
    stackName: input.name,
    env: input.env,
    attachedFiles: input.attachedFiles,
    ...(input.workingDir === undefined ? {} : { workingDir: input.workingDir }),
  });
  if (result.ok) return result;
  const shown = result.errors.slice(0, STACK_ERRORS_SHOWN_MAX).map(formatDiagnostic);
  const more = result.errors.length > shown.length ? `\n(${result.errors.length - shown.length} more)` : "";
  throw new ControlError(
    "invalid-argument",
    `the stack files have ${result.errors.length} problem(s):\n${shown.join("\n")}${more}\nfix them and try again (validate lists every problem with its line and column)`,
  );
}

export function isInStack(labels: Readonly<Record<string, string>>, stack: string): boolean {
  return labels[STACK_NAMESPACE_LABEL] === stack;
}

/** The stack's services on the cluster (labelled with it), sorted by name. */
export function servicesOfStack(view: Reader, stack: string): Service[] {
  return view.services
    .all()
    .filter((s) => isInStack(s.spec.labels, stack))
    .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/**
 * The specs the files ask for, references resolved to the cluster's ids (objects the stack will
 * create get `new:NAME`), and made comparable with the current services: the force-update
 * counter and a rebalance setting the files do not mention stay as they are (updateService keeps
 * them too), so an unchanged service plans as unchanged. Names with no object are listed.
 */
export function desiredSpecs(
  view: Reader,
  loaded: LoadedStack,
  current: readonly Service[],
): { specs: ServiceSpec[]; missing: string[] } {
  const planned = (names: { name: string }[]) => new Set(names.map((o) => o.name));
  const created = {
    network: planned(loaded.networks),
    secret: planned(loaded.secrets),
    config: planned(loaded.configs),
  };
  const id = (kind: keyof typeof created, name: string, found: { id: string } | undefined) =>
    found?.id ?? (created[kind].has(name) ? `${PLANNED_ID_PREFIX}${name}` : undefined);
  const lookup = {
    networkId: (n: string) => id("network", n, view.networks.byName(n)),
    secretId: (n: string) => id("secret", n, view.secrets.byName(n)),
    configId: (n: string) => id("config", n, view.configs.byName(n)),
  };
  const byName = new Map(current.map((s) => [s.spec.name, s.spec]));
  const specs: ServiceSpec[] = [];
  const missing = new Set<string>();
  for (const service of loaded.services) {
    const resolved = resolveStackReferences(service, lookup);
    if (!resolved.ok) {
      for (const m of resolved.missing) missing.add(m);
      continue;
    }
    specs.push(comparable(resolved.spec, byName.get(resolved.spec.name)));
  }
  return { specs, missing: [...missing].sort() };
}

function comparable(spec: ServiceSpec, current: ServiceSpec | undefined): ServiceSpec {
  if (current === undefined) return spec;
  const forceUpdate = current.taskTemplate.forceUpdate;
  const out: ServiceSpec = { ...spec, taskTemplate: { ...spec.taskTemplate, forceUpdate } };
  if (spec.rebalance === undefined && current.rebalance !== undefined) out.rebalance = current.rebalance;
  return out;
}
