import { STACK_NAMESPACE_LABEL } from "@shoal/compose";
import type { Service, Task } from "@shoal/store";
import { type ControlContext, parseInput, write } from "./control-context.ts";
import { ControlError } from "./control-error.ts";
import { StackRefInput } from "./stack-input.ts";
import { isInStack, servicesOfStack } from "./stack-load.ts";

/**
 * The stack calls besides deploy (stack-deploy.ts), plan, validate and config (stack-plan.ts)
 * and revisions (stack-revisions.ts): `stack ls`, `stack services`, `stack ps`, `stack rm`.
 * A stack is the objects labelled `com.docker.stack.namespace=NAME`; it has no object of its own.
 */

export interface StackSummary {
  name: string;
  /** How many services carry the stack's label. */
  services: number;
}

export interface RemovedStack {
  stack: string;
  services: string[];
  networks: string[];
  secrets: string[];
  configs: string[];
}

/** `stack ls`: every stack that has services, by name. */
export async function listStacks(ctx: ControlContext): Promise<StackSummary[]> {
  const counts = new Map<string, number>();
  for (const s of ctx.store.view((v) => v.services.all())) {
    const stack = s.spec.labels[STACK_NAMESPACE_LABEL];
    if (stack !== undefined) counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, services]) => ({ name, services }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `stack services NAME`: the stack's services, by name (empty when it has none). */
export async function stackServices(ctx: ControlContext, input: StackRefInput): Promise<Service[]> {
  const { name } = parseInput(StackRefInput, input, "stack services");
  return ctx.store.view((v) => servicesOfStack(v, name));
}

/** `stack ps NAME`: the tasks of the stack's services, by service, then slot, newest first. */
export async function stackTasks(ctx: ControlContext, input: StackRefInput): Promise<Task[]> {
  const { name } = parseInput(StackRefInput, input, "stack ps");
  return ctx.store.view((v) =>
    servicesOfStack(v, name).flatMap((s) =>
      v.tasks
        .byService(s.id)
        .sort((a, b) => a.slot - b.slot || a.nodeId.localeCompare(b.nodeId) || b.createdAtMs - a.createdAtMs),
    ),
  );
}

/**
 * `stack rm NAME`: removes the stack's services, networks, secrets and configs (everything with
 * its label) in one transaction; the task reaper stops the tasks. Refused, with nothing removed,
 * while a service outside the stack uses one of its objects. Revisions stay (a later deploy
 * continues their numbering).
 */
export async function removeStack(ctx: ControlContext, input: StackRefInput): Promise<RemovedStack> {
  const { name } = parseInput(StackRefInput, input, "stack rm");
  return write(ctx, `remove stack "${name}"`, (tx) => {
    const services = servicesOfStack(tx, name);
    const networks = tx.networks.all().filter((o) => isInStack(o.spec.labels, name));
    const secrets = tx.secrets.all().filter((o) => isInStack(o.spec.labels, name));
    const configs = tx.configs.all().filter((o) => isInStack(o.spec.labels, name));
    if (services.length + networks.length + secrets.length + configs.length === 0) {
      throw new ControlError(
        "not-found",
        `stack "${name}" has nothing on the cluster: check the name with stack ls`,
      );
    }
    const outside = tx.services.all().filter((s) => !isInStack(s.spec.labels, name));
    const ids = new Set([...networks, ...secrets, ...configs].map((o) => o.id));
    for (const user of outside) {
      const t = user.spec.taskTemplate;
      const used = [
        ...t.networks.map((n) => n.target),
        ...t.containerSpec.secrets.map((r) => r.secretId),
        ...t.containerSpec.configs.map((r) => r.configId),
      ].find((id) => ids.has(id));
      if (used === undefined) continue;
      const object = [...networks, ...secrets, ...configs].find((o) => o.id === used);
      throw new ControlError(
        "failed-precondition",
        `service "${user.spec.name}" (not in stack "${name}") uses "${object?.spec.name}" of the stack: remove it from that service first, then remove the stack`,
      );
    }
    for (const s of services) tx.delete("service", s);
    for (const n of networks) tx.delete("network", n);
    for (const s of secrets) tx.delete("secret", s);
    for (const c of configs) tx.delete("config", c);
    const names = (list: { spec: { name: string } }[]) => list.map((o) => o.spec.name).sort();
    return {
      stack: name,
      services: names(services),
      networks: names(networks),
      secrets: names(secrets),
      configs: names(configs),
    };
  });
}
