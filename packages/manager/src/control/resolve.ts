import type { Config, Network, Node, ReadView, Service, Task } from "@shoal/store";
import { nodeName, type SecretSummary } from "@shoal/store";
import { ControlError } from "./control-error.ts";

type Reader = Pick<ReadView, "services" | "nodes" | "tasks" | "networks" | "secrets" | "configs">;

/** Finds one object by exact id, exact name, or unique id prefix (as docker does). */
function resolveOne<T extends { id: string }>(
  kind: string,
  ref: string,
  byId: (id: string) => T | undefined,
  byName: (name: string) => T[],
  all: () => T[],
  listCommand: string,
): T {
  const exact = byId(ref);
  if (exact !== undefined) return exact;
  const named = byName(ref);
  if (named.length === 1) return named[0] as T;
  if (named.length > 1) {
    throw new ControlError(
      "invalid-argument",
      `${kind} name "${ref}" is ambiguous (${named.length} match): use the id`,
    );
  }
  const prefixed = ref.length >= 1 ? all().filter((o) => o.id.startsWith(ref)) : [];
  if (prefixed.length === 1) return prefixed[0] as T;
  if (prefixed.length > 1) {
    throw new ControlError(
      "invalid-argument",
      `${kind} id prefix "${ref}" is ambiguous: give more characters`,
    );
  }
  throw new ControlError(
    "not-found",
    `${kind} "${ref}" not found: check the name or id with \`${listCommand}\``,
  );
}

const single = <T>(found: T | undefined): T[] => (found === undefined ? [] : [found]);

export function findService(view: Reader, ref: string): Service {
  return resolveOne(
    "service",
    ref,
    (id) => view.services.get(id),
    (n) => single(view.services.byName(n)),
    () => view.services.all(),
    "service ls",
  );
}

export function findNode(view: Reader, ref: string): Node {
  return resolveOne(
    "node",
    ref,
    (id) => view.nodes.get(id),
    (n) => view.nodes.byName(n),
    () => view.nodes.all(),
    "node ls",
  );
}

export function findTask(view: Reader, ref: string): Task {
  return resolveOne(
    "task",
    ref,
    (id) => view.tasks.get(id),
    () => [],
    () => [],
    "service ps",
  );
}

export function findNetwork(view: Reader, ref: string): Network {
  return resolveOne(
    "network",
    ref,
    (id) => view.networks.get(id),
    (n) => single(view.networks.byName(n)),
    () => view.networks.all(),
    "network ls",
  );
}

export function findSecret(view: Reader, ref: string): SecretSummary {
  return resolveOne(
    "secret",
    ref,
    (id) => view.secrets.get(id),
    (n) => single(view.secrets.byName(n)),
    () => view.secrets.all(),
    "secret ls",
  );
}

export function findConfig(view: Reader, ref: string): Config {
  return resolveOne(
    "config",
    ref,
    (id) => view.configs.get(id),
    (n) => single(view.configs.byName(n)),
    () => view.configs.all(),
    "config ls",
  );
}

/** A node as messages name it. */
export function describeNode(node: Node): string {
  return nodeName(node) ?? node.id;
}
