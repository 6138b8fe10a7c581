import type { ReadView, ServiceSpec } from "@shoal/store";
import { parseConstraints } from "../scheduler/constraint.ts";
import { ControlError } from "./control-error.ts";
import { findConfig, findNetwork, findSecret } from "./resolve.ts";
import type { ParsedServiceSpecInput } from "./service-spec-input.ts";

type Reader = Pick<ReadView, "services" | "nodes" | "tasks" | "networks" | "secrets" | "configs">;

/**
 * Turns a parsed input spec into a stored ServiceSpec: resolves secret, config and network
 * names to ids, checks constraints parse and published ports are free (not used by another
 * service). A `rebalance` left out or null is absent from the result (an update fills in the
 * current setting first). Throws ControlError.
 */
export function resolveServiceSpec(
  view: Reader,
  input: ParsedServiceSpecInput,
  serviceId?: string,
): ServiceSpec {
  const { rebalance, ...spec } = input;
  const { containerSpec, networks, ...task } = spec.taskTemplate;
  try {
    parseConstraints(task.placement.constraints);
  } catch (error) {
    throw new ControlError(
      "invalid-argument",
      `${(error as Error).message}: fix the constraint and try again`,
    );
  }
  const secrets = containerSpec.secrets.map(({ source, target, ...file }) => {
    const secret = findSecret(view, source);
    return {
      secretId: secret.id,
      secretName: secret.spec.name,
      file: { name: target ?? secret.spec.name, ...file },
    };
  });
  const configs = containerSpec.configs.map(({ source, target, ...file }) => {
    const config = findConfig(view, source);
    return {
      configId: config.id,
      configName: config.spec.name,
      file: { name: target ?? config.spec.name, ...file },
    };
  });
  const attachments = networks.map((n) => ({ target: findNetwork(view, n.target).id, aliases: n.aliases }));
  checkPortsFree(view, input, serviceId);
  return {
    ...spec,
    taskTemplate: { ...task, containerSpec: { ...containerSpec, secrets, configs }, networks: attachments },
    // Absent (not undefined) when the service follows the cluster: specs compare by their keys.
    ...(rebalance == null ? {} : { rebalance }),
  };
}

function checkPortsFree(view: Reader, input: ParsedServiceSpecInput, serviceId: string | undefined): void {
  const wanted = input.endpointSpec.ports.filter((p) => p.publishedPort !== 0 && p.publishMode === "ingress");
  const seen = new Set<string>();
  for (const port of wanted) {
    const key = `${port.publishedPort}/${port.protocol}`;
    if (seen.has(key))
      throw new ControlError("invalid-argument", `port ${key} is published twice: publish it once`);
    seen.add(key);
  }
  for (const other of view.services.all()) {
    if (other.id === serviceId) continue;
    const ports = other.endpoint?.ports ?? other.spec.endpointSpec.ports;
    for (const port of ports) {
      if (port.publishMode !== "ingress" || !seen.has(`${port.publishedPort}/${port.protocol}`)) continue;
      throw new ControlError(
        "invalid-argument",
        `port ${port.publishedPort}/${port.protocol} is already published by service "${other.spec.name}": choose another published port`,
      );
    }
  }
}
