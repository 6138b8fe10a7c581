import type { NetworkSpec } from "@shoal/store";
import type { ComposeConfig, ComposeExternal, ComposeFileObject, ComposeNetwork } from "./compose-model.ts";
import { scopedName, withStackLabel } from "./stack-names.ts";

/** A secret or config to create: the caller reads `file` and stores its content as the data. */
export interface StackFileObject {
  /** The key in the stack file. */
  key: string;
  name: string;
  labels: Record<string, string>;
  /** Path to read, resolved against the first stack file's directory. */
  file: string;
}

/** A named volume the services mount; created by each node's engine on first use. */
export interface StackVolume {
  key: string;
  name: string;
  driver: string;
  driverOptions: Record<string, string>;
  labels: Record<string, string>;
}

/** Objects the stack uses but does not create: the caller checks they exist. */
export interface StackExternals {
  networks: string[];
  secrets: string[];
  configs: string[];
  volumes: string[];
}

/** The name an object has on the cluster: its `name:`, else `STACK_key` (external: the key). */
export function clusterName(stackName: string, key: string, def: ComposeExternal | undefined): string {
  if (def?.name) return def.name;
  return def?.external ? key : scopedName(stackName, key);
}

export function convertNetwork(stackName: string, key: string, def: ComposeNetwork): NetworkSpec {
  return {
    name: clusterName(stackName, key, def),
    labels: withStackLabel(stackName, def.labels),
    driver: { name: def.driver ?? "overlay", options: stringsOnly(def.driver_opts) },
    ipam: {
      driver: { name: def.ipam?.driver ?? "default", options: stringsOnly(def.ipam?.options) },
      configs: (def.ipam?.config ?? []).map((c) => ({
        subnet: c.subnet ?? "",
        gateway: c.gateway ?? "",
        ...(c.ip_range ? { range: c.ip_range } : {}),
      })),
    },
    internal: def.internal ?? false,
    attachable: def.attachable ?? false,
    ingress: false,
  };
}

export function convertFileObject(stackName: string, key: string, def: ComposeFileObject): StackFileObject {
  return {
    key,
    name: clusterName(stackName, key, def),
    labels: withStackLabel(stackName, def.labels),
    file: def.file ?? "",
  };
}

export function convertVolume(
  stackName: string,
  key: string,
  def: ComposeConfig["volumes"][string],
): StackVolume {
  return {
    key,
    name: clusterName(stackName, key, def),
    driver: def.driver ?? "local",
    driverOptions: stringsOnly(def.driver_opts),
    labels: withStackLabel(stackName, def.labels),
  };
}

export function stringsOnly(map: Record<string, string | null> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = v ?? "";
  return out;
}
