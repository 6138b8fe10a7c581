import type { ComposeConfig, ComposeService } from "./compose-model.ts";
import { stringsOnly } from "./convert-objects.ts";
import { withStackLabel } from "./stack-names.ts";

/**
 * Settings a stack file can give that the store's ServiceSpec has no field for yet. Carried
 * beside the spec so nothing the user wrote is lost; each moves into the spec when the store
 * grows the field. Only keys the file sets are present.
 */
export interface ComposeServiceExtensions {
  init?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  sysctls?: Record<string, string>;
  ulimits?: Record<string, { soft: number; hard: number }>;
  logging?: { driver: string; options: Record<string, string> };
  dnsServers?: string[];
  dnsSearch?: string[];
  /** `host:ip` lines for /etc/hosts. */
  hosts?: string[];
  tty?: boolean;
  openStdin?: boolean;
  readOnlyRootfs?: boolean;
  pidsLimit?: number;
  /** Mount options beyond type/source/target/readOnly, by mount target. */
  mountOptions?: Record<string, MountOptions>;
}

export interface MountOptions {
  bindPropagation?: string;
  volumeNoCopy?: boolean;
  volumeDriver?: { name: string; options: Record<string, string> };
  volumeLabels?: Record<string, string>;
  tmpfsSizeBytes?: number;
}

export function serviceExtensions(stackName: string, s: ComposeService, config: ComposeConfig) {
  const x: ComposeServiceExtensions = {};
  if (s.init !== undefined) x.init = s.init;
  if (s.cap_add?.length) x.capAdd = s.cap_add;
  if (s.cap_drop?.length) x.capDrop = s.cap_drop;
  if (s.sysctls && Object.keys(s.sysctls).length > 0) x.sysctls = s.sysctls;
  if (s.ulimits && Object.keys(s.ulimits).length > 0) x.ulimits = s.ulimits;
  if (s.logging?.driver || s.logging?.options) {
    x.logging = { driver: s.logging.driver ?? "", options: stringsOnly(s.logging.options) };
  }
  if (s.dns?.length) x.dnsServers = s.dns;
  if (s.dns_search?.length) x.dnsSearch = s.dns_search;
  if (s.extra_hosts?.length) x.hosts = s.extra_hosts;
  if (s.tty !== undefined) x.tty = s.tty;
  if (s.stdin_open !== undefined) x.openStdin = s.stdin_open;
  if (s.read_only !== undefined) x.readOnlyRootfs = s.read_only;
  const pids = s.deploy?.resources?.limits?.pids;
  if (pids !== undefined) x.pidsLimit = pids;
  const mountOptions: Record<string, MountOptions> = {};
  for (const v of s.volumes ?? []) {
    const o: MountOptions = {};
    if (v.bind?.propagation) o.bindPropagation = v.bind.propagation;
    if (v.volume?.nocopy !== undefined) o.volumeNoCopy = v.volume.nocopy;
    if (v.tmpfs?.size !== undefined) o.tmpfsSizeBytes = v.tmpfs.size;
    const def = v.type === "volume" && v.source ? config.volumes[v.source] : undefined;
    if (def && !def.external) {
      o.volumeDriver = { name: def.driver ?? "local", options: stringsOnly(def.driver_opts) };
      o.volumeLabels = withStackLabel(stackName, def.labels);
    }
    if (Object.keys(o).length > 0) mountOptions[v.target] = o;
  }
  if (Object.keys(mountOptions).length > 0) x.mountOptions = mountOptions;
  return x;
}
