/**
 * Applies `service create|update` flags to a service spec (the API's input shape). Create starts
 * from a bare spec and takes list flags as `--NAME`; update starts from the service's current spec
 * and takes `--NAME-add` / `--NAME-rm`.
 */
import type { ServiceSpecInput } from "../api-types.ts";
import { UsageError } from "../cli-error.ts";
import { envKey, parseEnv, parseLabels } from "./key-value.ts";
import { parseMount } from "./mount.ts";
import { parsePublish } from "./publish.ts";
import { parseReference } from "./references.ts";
import { flagList, flagString, type ServiceFlags } from "./service-flags.ts";
import { applyScalarFlags } from "./service-scalar-flags.ts";

export type ApplyKind = "create" | "update";

/** Names the CLI knows for ids in the stored spec (networks, for `--network-rm NAME`). */
export interface NameLookup {
  readonly networkIdByName: ReadonlyMap<string, string>;
}

type Tt = NonNullable<ServiceSpecInput["taskTemplate"]>;
type Cs = Tt["containerSpec"];

export function applyServiceFlags(
  spec: ServiceSpecInput,
  flags: ServiceFlags,
  kind: ApplyKind,
  names: NameLookup = { networkIdByName: new Map() },
): ServiceSpecInput {
  const tt = spec.taskTemplate;
  const cs = tt.containerSpec;
  const add = (f: string) => flagList(flags, kind === "create" ? f : `${f}-add`);
  const rm = (f: string) => (kind === "update" ? flagList(flags, `${f}-rm`) : []);

  applyMode(spec, flags, kind);
  applyScalarFlags(spec, flags);
  const image = flagString(flags, "image");
  if (image !== undefined) cs.image = image;
  const argsText = flagString(flags, "args-flag");
  if (argsText !== undefined) cs.args = argsText.trim() === "" ? [] : argsText.trim().split(/\s+/);

  cs.env = editEnv(cs.env ?? [], add("env"), rm("env"));
  spec.labels = editLabels(spec.labels ?? {}, "label", add("label"), rm("label"));
  cs.labels = editLabels(cs.labels ?? {}, "container-label", add("container-label"), rm("container-label"));
  editPlacement(tt, add, rm);
  editPorts(spec, add("publish"), rm("publish"));
  const mounts = add("mount").map(parseMount);
  const goneMounts = new Set([...rm("mount"), ...mounts.map((m) => m.target)]);
  cs.mounts = [...(cs.mounts ?? []).filter((m) => !goneMounts.has(m.target)), ...mounts];
  editReferences(cs, "secret", add("secret"), rm("secret"));
  editReferences(cs, "config", add("config"), rm("config"));
  editNetworks(tt, add("network"), rm("network"), names);
  return spec;
}

function applyMode(spec: ServiceSpecInput, flags: ServiceFlags, kind: ApplyKind): void {
  const replicasText = flagString(flags, "replicas");
  const replicas = replicasText === undefined ? undefined : wholeNumber("replicas", replicasText);
  if (kind === "create") {
    if (flags.mode === "global") {
      if (replicas !== undefined) throw new UsageError("--replicas applies to replicated services only");
      spec.mode = { global: {} };
    } else spec.mode = { replicated: { replicas: replicas ?? 1 } };
    return;
  }
  if (flags.mode !== undefined) throw new UsageError("--mode cannot change: remove and create the service");
  if (replicas === undefined) return;
  if (spec.mode !== undefined && "global" in spec.mode) {
    throw new UsageError("--replicas applies to replicated services only (this one is global)");
  }
  spec.mode = { replicated: { replicas } };
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} ${text}: expected a whole number`);
  return Number(text);
}

export function editEnv(
  current: readonly string[],
  added: readonly string[],
  removed: readonly string[],
): string[] {
  const entries = added.map((e) => parseEnv(e));
  const gone = new Set([...removed.map(envKey), ...entries.map(envKey)]);
  return [...current.filter((e) => !gone.has(envKey(e))), ...entries];
}

function editLabels(
  current: Record<string, string>,
  flag: string,
  added: readonly string[],
  removed: readonly string[],
): Record<string, string> {
  const next = { ...current };
  for (const key of removed) delete next[key.split("=")[0] ?? key];
  return { ...next, ...parseLabels(flag, added) };
}

function editPlacement(tt: Tt, add: (f: string) => string[], rm: (f: string) => string[]): void {
  tt.placement ??= {};
  const placement = tt.placement;
  const gone = new Set(rm("constraint").map((c) => c.replace(/\s+/g, "")));
  placement.constraints = [
    ...(placement.constraints ?? []).filter((c) => !gone.has(c.replace(/\s+/g, ""))),
    ...add("constraint"),
  ];
  const spread = (text: string, flag: string) => {
    const m = /^spread=(.+)$/.exec(text.trim());
    if (!m?.[1]) throw new UsageError(`--${flag} ${text}: a preference is spread=node.labels.KEY`);
    return m[1];
  };
  const goneSpread = new Set(rm("placement-pref").map((p) => spread(p, "placement-pref-rm")));
  placement.preferences = [
    ...(placement.preferences ?? []).filter((p) => !goneSpread.has(p.spread)),
    ...add("placement-pref").map((p) => ({ spread: spread(p, "placement-pref") })),
  ];
}

function editPorts(spec: ServiceSpecInput, added: readonly string[], removed: readonly string[]): void {
  spec.endpointSpec ??= {};
  const endpoint = spec.endpointSpec;
  const goneKeys = new Set(removed.flatMap(parsePublish).map((p) => `${p.targetPort}/${p.protocol}`));
  const ports = added.flatMap(parsePublish);
  const replaced = new Set(ports.map((p) => `${p.targetPort}/${p.protocol}`));
  endpoint.ports = [
    ...(endpoint.ports ?? []).filter((p) => {
      const key = `${p.targetPort}/${p.protocol ?? "tcp"}`;
      return !goneKeys.has(key) && !replaced.has(key);
    }),
    ...ports,
  ];
}

function editReferences(
  cs: Cs,
  flag: "secret" | "config",
  added: readonly string[],
  removed: readonly string[],
) {
  const refs = added.map((text) => parseReference(flag, text));
  const gone = new Set([...removed, ...refs.map((r) => r.source)]);
  const keep = (r: unknown): boolean => {
    const o = r as {
      source?: string;
      secretName?: string;
      configName?: string;
      secretId?: string;
      configId?: string;
    };
    const names = [o.source, o.secretName, o.configName, o.secretId, o.configId];
    return !names.some((n) => n !== undefined && gone.has(n));
  };
  if (flag === "secret") cs.secrets = [...(cs.secrets ?? []).filter(keep), ...refs];
  else cs.configs = [...(cs.configs ?? []).filter(keep), ...refs];
}

function editNetworks(tt: Tt, added: readonly string[], removed: readonly string[], names: NameLookup): void {
  const gone = new Set(removed.flatMap((n) => [n, names.networkIdByName.get(n) ?? n]));
  tt.networks = [
    ...(tt.networks ?? []).filter((n) => !gone.has(n.target)),
    ...added.map((target) => ({ target, aliases: [] })),
  ];
}
