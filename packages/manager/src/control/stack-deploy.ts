import { formatStackConfig, type LoadedStack, type ServicePlan } from "@shoal/compose";
import { type ServiceSpec, STACK_REVISIONS_KEPT_MAX } from "@shoal/store";
import { createConfig } from "./configs.ts";
import { type ControlContext, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { createNetwork } from "./networks.ts";
import { createSecret } from "./secrets.ts";
import { createService, removeService, updateService } from "./services.ts";
import { DeployStackInput } from "./stack-input.ts";
import { loadOrThrow, PLANNED_ID_PREFIX, servicesOfStack } from "./stack-load.ts";
import { planStackIn, type StackDeployPlan } from "./stack-plan.ts";

export interface StackDeployResult {
  stack: string;
  /** The revision this deploy recorded. */
  revision: number;
  /** The plan applied (objects created, services created/updated/removed). */
  plan: StackDeployPlan;
  /** Every service the stack now has, name → id. */
  serviceIds: Record<string, string>;
}

export interface ObjectData {
  secretData: Record<string, string>;
  configData: Record<string, string>;
}

/**
 * `stack deploy -c FILE... NAME [--prune]`: creates the stack's missing networks, secrets and
 * configs (labelled with the stack), creates the services that are new, updates only the ones
 * whose spec changed (unchanged ones keep their tasks), removes dropped ones with `prune`, then
 * records the revision in the log. Each step is its own transaction, as in docker: a failed
 * deploy leaves what it did, and deploying again finishes the job.
 */
export async function deployStack(ctx: ControlContext, input: DeployStackInput): Promise<StackDeployResult> {
  const p = parseInput(DeployStackInput, input, "stack deploy");
  return applyStack(ctx, loadOrThrow(p), p.prune, p);
}

export async function applyStack(
  ctx: ControlContext,
  loaded: LoadedStack,
  prune: boolean,
  data: ObjectData,
): Promise<StackDeployResult> {
  const stack = loaded.stackName;
  const first = ctx.store.view((v) => planStackIn(v, loaded, prune).plan);
  if (first.problems.length > 0) {
    throw new ControlError(
      "failed-precondition",
      `cannot deploy stack "${stack}": ${first.problems.join("; ")}`,
    );
  }
  checkObjectData(loaded, first, data);
  await createObjects(ctx, loaded, first, data);
  const { plan, desired } = ctx.store.view((v) => planStackIn(v, loaded, prune));
  const byName = new Map(desired.map((s) => [s.name, s]));
  for (const step of plan.services) await applyService(ctx, step, byName.get(step.name));
  const revision = await recordRevision(ctx, loaded, plan);
  const serviceIds = Object.fromEntries(
    ctx.store.view((v) => servicesOfStack(v, stack)).map((s) => [s.spec.name, s.id]),
  );
  return { stack, revision, plan: { ...plan, objects: first.objects }, serviceIds };
}

async function applyService(ctx: ControlContext, step: ServicePlan, spec: ServiceSpec | undefined) {
  const what = `stack service "${step.name}"`;
  if ((step.action === "create" || step.action === "update") && spec === undefined) {
    throw new Error(`${what}: planned ${step.action} without a spec`);
  }
  if (spec !== undefined && JSON.stringify(spec).includes(`"${PLANNED_ID_PREFIX}`)) {
    throw new ControlError("conflict", `${what} refers to an object removed during the deploy: deploy again`);
  }
  if (step.action === "create") await createService(ctx, { spec: spec as ServiceSpec });
  else if (step.action === "update")
    await updateService(ctx, { service: step.name, spec: spec as ServiceSpec });
  else if (step.action === "remove") await removeService(ctx, { service: step.name });
}

/** Refuses before any change when a secret or config to create has no content. */
function checkObjectData(loaded: LoadedStack, plan: StackDeployPlan, data: ObjectData): void {
  const toCreate = new Set(
    plan.objects.filter((o) => o.action === "create").map((o) => `${o.kind}/${o.name}`),
  );
  const lacking: string[] = [];
  for (const [kind, objects, given] of [
    ["secret", loaded.secrets, data.secretData],
    ["config", loaded.configs, data.configData],
  ] as const) {
    for (const o of objects) {
      if (toCreate.has(`${kind}/${o.name}`) && given[o.key] === undefined) {
        lacking.push(`${kind} "${o.key}" (file ${o.file}) as ${kind}Data["${o.key}"]`);
      }
    }
  }
  if (lacking.length === 0) return;
  throw new ControlError(
    "invalid-argument",
    `stack "${loaded.stackName}" creates objects whose content was not sent: send ${lacking.join(", ")}, base64 (the CLI reads the files for you)`,
  );
}

async function createObjects(
  ctx: ControlContext,
  loaded: LoadedStack,
  plan: StackDeployPlan,
  data: ObjectData,
) {
  const creates = (kind: string, name: string) =>
    plan.objects.some((o) => o.kind === kind && o.name === name && o.action === "create");
  for (const n of loaded.networks) {
    if (!creates("network", n.name)) continue;
    await createNetwork(ctx, {
      name: n.name,
      labels: n.labels,
      driver: n.driver.name,
      driverOptions: n.driver.options,
      ipam: n.ipam.configs,
      internal: n.internal,
      attachable: n.attachable,
    });
  }
  for (const s of loaded.secrets) {
    if (creates("secret", s.name))
      await createSecret(ctx, { name: s.name, labels: s.labels, data: data.secretData[s.key] ?? "" });
  }
  for (const c of loaded.configs) {
    if (creates("config", c.name))
      await createConfig(ctx, { name: c.name, labels: c.labels, data: data.configData[c.key] ?? "" });
  }
}

/**
 * Writes the revision (normalised YAML, the specs the stack's services now have) and drops the
 * stack's oldest kept revisions beyond STACK_REVISIONS_KEPT_MAX, in one transaction.
 */
async function recordRevision(
  ctx: ControlContext,
  loaded: LoadedStack,
  plan: StackDeployPlan,
): Promise<number> {
  const stack = loaded.stackName;
  const names = new Set(loaded.services.map((s) => s.name));
  const count = (action: string) => plan.services.filter((s) => s.action === action).length;
  return write(ctx, `record a revision of stack "${stack}"`, (tx) => {
    const kept = tx.stackRevisions.byStack(stack);
    const revision = (kept.at(-1)?.spec.revision ?? 0) + 1;
    const services = servicesOfStack(tx, stack)
      .filter((s) => names.has(s.spec.name))
      .map((s) => s.spec);
    tx.create("stackRevision", {
      spec: {
        name: stack,
        revision,
        yaml: formatStackConfig(loaded),
        services,
        pruned: plan.services.filter((s) => s.action === "remove").map((s) => s.name),
        created: count("create"),
        updated: count("update"),
      },
    });
    const drop = kept.length + 1 - STACK_REVISIONS_KEPT_MAX;
    for (const old of kept.slice(0, Math.max(0, drop))) tx.delete("stackRevision", old);
    return revision;
  });
}
