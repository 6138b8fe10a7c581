import type { ServiceSpec } from "@shoal/store";
import type { StackServiceSpec } from "./convert-service.ts";

/** Looks up cluster object ids by name; undefined when the object does not exist. */
export interface ReferenceLookup {
  networkId(name: string): string | undefined;
  secretId(name: string): string | undefined;
  configId(name: string): string | undefined;
}

export type ResolveResult = { ok: true; spec: ServiceSpec } | { ok: false; missing: string[] };

/**
 * Fills in the ids a stack service's spec refers to by name (networks, secrets, configs), after
 * the stack's own objects are created. Returns every name that has no object.
 */
export function resolveStackReferences(service: StackServiceSpec, lookup: ReferenceLookup): ResolveResult {
  const { composeExtensions: _, ...spec } = service;
  const missing: string[] = [];
  const need = (kind: string, name: string, id: string | undefined) => {
    if (id === undefined) missing.push(`${kind} ${name}`);
    return id ?? "";
  };
  const t = spec.taskTemplate;
  const c = t.containerSpec;
  const resolved: ServiceSpec = {
    ...spec,
    taskTemplate: {
      ...t,
      networks: t.networks.map((n) => ({
        ...n,
        target: need("network", n.target, lookup.networkId(n.target)),
      })),
      containerSpec: {
        ...c,
        secrets: c.secrets.map((s) => ({
          ...s,
          secretId: need("secret", s.secretName, lookup.secretId(s.secretName)),
        })),
        configs: c.configs.map((s) => ({
          ...s,
          configId: need("config", s.configName, lookup.configId(s.configName)),
        })),
      },
    },
  };
  return missing.length > 0 ? { ok: false, missing } : { ok: true, spec: resolved };
}
