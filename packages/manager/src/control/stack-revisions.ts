import { type LoadedStack, planStackDeploy, type ServicePlan } from "@shoal/compose";
import { STACK_REVISIONS_KEPT_MAX, type StackRevision } from "@shoal/store";
import { type ControlContext, parseInput } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { applyStack, type StackDeployResult } from "./stack-deploy.ts";
import { InspectStackRevisionInput, RevertStackInput, StackRefInput } from "./stack-input.ts";
import { loadOrThrow, servicesOfStack } from "./stack-load.ts";

/** A kept revision without its YAML and specs (list rows). */
export interface StackRevisionSummary {
  stack: string;
  revision: number;
  /** The Raft index of the deploy's revision record. */
  version: number;
  createdAtMs: number;
  services: string[];
  pruned: string[];
  created: number;
  updated: number;
}

export interface StackRevisionDetail {
  revision: StackRevision;
  /** What deploying this revision again would change, per service (prune on). */
  diff: ServicePlan[];
}

/** The revisions the cluster keeps for a stack (the latest STACK_REVISIONS_KEPT_MAX), newest first. */
export async function listStackRevisions(
  ctx: ControlContext,
  input: StackRefInput,
): Promise<StackRevisionSummary[]> {
  const { name } = parseInput(StackRefInput, input, "stack revisions");
  return ctx.store
    .view((v) => v.stackRevisions.byStack(name))
    .reverse()
    .map((r) => ({
      stack: r.spec.name,
      revision: r.spec.revision,
      version: r.version,
      createdAtMs: r.createdAtMs,
      services: r.spec.services.map((s) => s.name),
      pruned: r.spec.pruned,
      created: r.spec.created,
      updated: r.spec.updated,
    }));
}

/** One kept revision and its per-service diff against the stack's current services. */
export async function inspectStackRevision(
  ctx: ControlContext,
  input: InspectStackRevisionInput,
): Promise<StackRevisionDetail> {
  const p = parseInput(InspectStackRevisionInput, input, "stack revision");
  return ctx.store.view((v) => {
    const revision = keptRevision(v.stackRevisions.byRevision(p.name, p.revision), p.name, p.revision);
    const current = servicesOfStack(v, p.name).map((s) => s.spec);
    // Compare as a deploy would: the force-update counter is never the stack file's business.
    const byName = new Map(current.map((s) => [s.name, s]));
    const specs = revision.spec.services.map((s) => {
      const forceUpdate = byName.get(s.name)?.taskTemplate.forceUpdate ?? s.taskTemplate.forceUpdate;
      return { ...s, taskTemplate: { ...s.taskTemplate, forceUpdate } };
    });
    return { revision, diff: planStackDeploy(current, specs, { prune: true }).services };
  });
}

/**
 * Deploys a kept revision's YAML again (a new revision); with `prune` (the default) services
 * added since are removed. Secrets and configs it needs that were removed since need their data.
 */
export async function revertStack(ctx: ControlContext, input: RevertStackInput): Promise<StackDeployResult> {
  const p = parseInput(RevertStackInput, input, "stack revert");
  const revision = ctx.store.view((v) =>
    keptRevision(v.stackRevisions.byRevision(p.name, p.revision), p.name, p.revision),
  );
  const loaded: LoadedStack = loadOrThrow({
    name: p.name,
    files: [{ name: `${p.name}.revision-${p.revision}.yml`, text: revision.spec.yaml }],
    env: {},
    attachedFiles: {},
  });
  return applyStack(ctx, loaded, p.prune, p);
}

function keptRevision(found: StackRevision | undefined, stack: string, revision: number): StackRevision {
  if (found !== undefined) return found;
  throw new ControlError(
    "not-found",
    `revision ${revision} of stack "${stack}" is not kept on the cluster (the last ${STACK_REVISIONS_KEPT_MAX} are): list them with stack revisions, or deploy its YAML from the history with stack deploy`,
  );
}
