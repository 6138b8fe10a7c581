import type { Service, WriteTx } from "@shoal/store";
import { Count } from "@shoal/store";
import { z } from "zod";
import { deepEqual } from "../orchestrator/task-lifecycle.ts";
import { type ControlContext, checkVersion, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { findService } from "./resolve.ts";
import { ServiceSpecInput } from "./service-spec-input.ts";
import { resolveServiceSpec } from "./service-spec-resolve.ts";

/** A service named by id, name or unique id prefix. */
export const ServiceRef = z.string().min(1, "name the service (name or id)");

export const CreateServiceInput = z.object({ spec: ServiceSpecInput });
export const InspectServiceInput = z.object({ service: ServiceRef });
export const ListServicesInput = z
  .object({
    filters: z
      .object({
        /** Name prefixes. */
        name: z.array(z.string()).optional(),
        /** Id prefixes. */
        id: z.array(z.string()).optional(),
        /** `key` or `key=value`. */
        label: z.array(z.string()).optional(),
        mode: z.enum(["replicated", "global"]).optional(),
      })
      .prefault({}),
  })
  .prefault({});
export const UpdateServiceInput = z.object({
  service: ServiceRef,
  /** The version read; the update is refused if the service changed since. */
  version: Count.optional(),
  spec: ServiceSpecInput,
  /** Redeploy every task even if nothing else changed (bumps forceUpdate). */
  force: z.boolean().default(false),
});
export const ScaleServiceInput = z.object({ service: ServiceRef, replicas: Count });
export const RollbackServiceInput = z.object({ service: ServiceRef });
export const RemoveServiceInput = z.object({ service: ServiceRef });

export type CreateServiceInput = z.input<typeof CreateServiceInput>;
export type ListServicesInput = z.input<typeof ListServicesInput>;
export type UpdateServiceInput = z.input<typeof UpdateServiceInput>;
export type ScaleServiceInput = z.input<typeof ScaleServiceInput>;

export async function createService(ctx: ControlContext, input: CreateServiceInput): Promise<Service> {
  const { spec } = parseInput(CreateServiceInput, input, "service");
  const id = await write(ctx, `create service "${spec.name}"`, (tx) => {
    if (tx.services.byName(spec.name) !== undefined) {
      throw new ControlError(
        "already-exists",
        `service "${spec.name}" already exists: choose another name or update it`,
      );
    }
    return tx.create("service", { spec: resolveServiceSpec(tx, spec) });
  });
  return get(ctx, id);
}

export async function inspectService(
  ctx: ControlContext,
  input: z.input<typeof InspectServiceInput>,
): Promise<Service> {
  const { service } = parseInput(InspectServiceInput, input, "service inspect");
  return ctx.store.view((v) => findService(v, service));
}

export async function listServices(ctx: ControlContext, input: ListServicesInput = {}): Promise<Service[]> {
  const { filters } = parseInput(ListServicesInput, input, "service list filters");
  return ctx.store
    .view((v) => v.services.all())
    .filter(
      (s) =>
        (filters.name === undefined || filters.name.some((n) => s.spec.name.startsWith(n))) &&
        (filters.id === undefined || filters.id.some((i) => s.id.startsWith(i))) &&
        (filters.label === undefined || filters.label.every((l) => hasLabel(s.spec.labels, l))) &&
        (filters.mode === undefined || filters.mode in s.spec.mode),
    )
    .sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/**
 * Replaces the service's spec. A changed task template starts a rolling update (the previous
 * spec is kept for rollback); `force` redeploys every task; the same spec again resumes a paused
 * update. A spec without `rebalance` keeps the service's setting. Renaming and switching between
 * replicated and global are refused, as in swarm.
 */
export async function updateService(ctx: ControlContext, input: UpdateServiceInput): Promise<Service> {
  const parsed = parseInput(UpdateServiceInput, input, "service update");
  const id = await write(ctx, `update service "${parsed.service}"`, (tx) => {
    const current = findService(tx, parsed.service);
    checkVersion("service", current.spec.name, current.version, parsed.version);
    if (parsed.spec.name !== current.spec.name) {
      throw new ControlError(
        "invalid-argument",
        `service "${current.spec.name}" cannot be renamed to "${parsed.spec.name}": create a new service instead`,
      );
    }
    if ("global" in parsed.spec.mode !== "global" in current.spec.mode) {
      throw new ControlError(
        "invalid-argument",
        `service "${current.spec.name}" cannot switch between replicated and global mode: remove it and create it again`,
      );
    }
    // A spec that does not mention rebalance keeps the service's setting (null clears it).
    const rebalance = parsed.spec.rebalance === undefined ? current.spec.rebalance : parsed.spec.rebalance;
    const spec = resolveServiceSpec(tx, { ...parsed.spec, rebalance }, current.id);
    const forceUpdate =
      Math.max(spec.taskTemplate.forceUpdate, current.spec.taskTemplate.forceUpdate) + (parsed.force ? 1 : 0);
    const next = { ...spec, taskTemplate: { ...spec.taskTemplate, forceUpdate } };
    if (deepEqual(next, current.spec)) {
      // The same spec again resumes a paused update, as `docker service update` does.
      if (current.updateStatus?.state === "paused") {
        const updateStatus = {
          ...current.updateStatus,
          state: "updating" as const,
          message: "update resumed",
        };
        tx.update("service", { ...current, updateStatus });
      }
      return current.id;
    }
    const rolling = !deepEqual(next.taskTemplate, current.spec.taskTemplate);
    tx.update("service", {
      ...current,
      spec: next,
      previousSpec: current.spec,
      updateStatus: rolling
        ? { state: "updating", startedAtMs: ctx.clock.nowMs(), message: "update in progress" }
        : current.updateStatus,
    });
    return current.id;
  });
  return get(ctx, id);
}

/** Sets the replica count of a replicated service (no rolling update: tasks do not change). */
export async function scaleService(ctx: ControlContext, input: ScaleServiceInput): Promise<Service> {
  const parsed = parseInput(ScaleServiceInput, input, "service scale");
  const id = await write(ctx, `scale service "${parsed.service}"`, (tx) => {
    const current = findService(tx, parsed.service);
    if (!("replicated" in current.spec.mode)) {
      throw new ControlError(
        "failed-precondition",
        `service "${current.spec.name}" is global (one task per node): only replicated services scale`,
      );
    }
    if (current.spec.mode.replicated.replicas === parsed.replicas) return current.id;
    tx.update("service", {
      ...current,
      spec: { ...current.spec, mode: { replicated: { replicas: parsed.replicas } } },
    });
    return current.id;
  });
  return get(ctx, id);
}

/** Swaps spec and previous spec; the updater rolls back with the rollback config. */
export async function rollbackService(
  ctx: ControlContext,
  input: z.input<typeof RollbackServiceInput>,
): Promise<Service> {
  const parsed = parseInput(RollbackServiceInput, input, "service rollback");
  const id = await write(ctx, `roll back service "${parsed.service}"`, (tx) => {
    const current = findService(tx, parsed.service);
    if (current.previousSpec === undefined) {
      throw new ControlError(
        "failed-precondition",
        `service "${current.spec.name}" has no previous spec to roll back to: it was never updated`,
      );
    }
    tx.update("service", {
      ...current,
      spec: current.previousSpec,
      previousSpec: current.spec,
      updateStatus: {
        state: "rollback_started",
        startedAtMs: ctx.clock.nowMs(),
        message: "manually requested rollback",
      },
    });
    return current.id;
  });
  return get(ctx, id);
}

/** Deletes the service; the task reaper stops and deletes its tasks. */
export async function removeService(
  ctx: ControlContext,
  input: z.input<typeof RemoveServiceInput>,
): Promise<void> {
  const parsed = parseInput(RemoveServiceInput, input, "service rm");
  await write(ctx, `remove service "${parsed.service}"`, (tx: WriteTx) => {
    tx.delete("service", findService(tx, parsed.service));
  });
}

function get(ctx: ControlContext, id: string): Service {
  const service = ctx.store.view((v) => v.services.get(id));
  if (service === undefined)
    throw new ControlError("not-found", `service ${id} was removed meanwhile: list services again`);
  return service;
}

/** `key` (present) or `key=value` (equal). */
export function hasLabel(labels: Readonly<Record<string, string>>, filter: string): boolean {
  const at = filter.indexOf("=");
  if (at < 0) return Object.hasOwn(labels, filter);
  return labels[filter.slice(0, at)] === filter.slice(at + 1);
}
