import type { MountLong, PortLong } from "./short-syntax.ts";

/**
 * A stack file after normalisation: long syntax everywhere, keys as Compose spells them,
 * durations in ms, sizes in bytes, CPUs in nano CPUs. This is what files are merged as and what
 * `formatStackConfig` prints back.
 */
export interface ComposeConfig {
  version?: string;
  services: Record<string, ComposeService>;
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  secrets: Record<string, ComposeFileObject>;
  configs: Record<string, ComposeFileObject>;
}

export type { MountLong, PortLong };

export interface ComposeFileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface ComposeServiceNetwork {
  aliases?: string[];
}

export interface ComposeUpdateConfig {
  parallelism?: number;
  delay?: number;
  failure_action?: "pause" | "continue" | "rollback";
  monitor?: number;
  max_failure_ratio?: number;
  order?: "stop-first" | "start-first";
}

export interface ComposeResources {
  cpus?: number;
  memory?: number;
  pids?: number;
}

export interface ComposeDeploy {
  mode?: "replicated" | "global";
  replicas?: number;
  labels?: Record<string, string>;
  endpoint_mode?: "vip" | "dnsrr";
  placement?: {
    constraints?: string[];
    preferences?: { spread?: string }[];
    max_replicas_per_node?: number;
  };
  resources?: { limits?: ComposeResources; reservations?: ComposeResources };
  restart_policy?: {
    condition?: "none" | "on-failure" | "any";
    delay?: number;
    max_attempts?: number;
    window?: number;
  };
  update_config?: ComposeUpdateConfig;
  rollback_config?: ComposeUpdateConfig;
}

export interface ComposeService {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  /** Values from env_file and environment; null = not set anywhere (passed as a bare name). */
  environment?: Record<string, string | null>;
  ports?: PortLong[];
  networks?: Record<string, ComposeServiceNetwork | null>;
  volumes?: MountLong[];
  tmpfs?: string[];
  secrets?: ComposeFileReference[];
  configs?: ComposeFileReference[];
  healthcheck?: {
    test?: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    start_period?: number;
    disable?: boolean;
  };
  user?: string;
  working_dir?: string;
  hostname?: string;
  labels?: Record<string, string>;
  stop_signal?: string;
  stop_grace_period?: number;
  init?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  sysctls?: Record<string, string>;
  ulimits?: Record<string, { soft: number; hard: number }>;
  logging?: { driver?: string; options?: Record<string, string | null> };
  dns?: string[];
  dns_search?: string[];
  extra_hosts?: string[];
  tty?: boolean;
  stdin_open?: boolean;
  read_only?: boolean;
  deploy?: ComposeDeploy;
}

export interface ComposeExternal {
  /** True: the object exists on the cluster already, under `name` (default: its key). */
  external?: boolean;
  name?: string;
  labels?: Record<string, string>;
}

export interface ComposeNetwork extends ComposeExternal {
  driver?: string;
  driver_opts?: Record<string, string | null>;
  ipam?: {
    driver?: string;
    config?: { subnet?: string; gateway?: string; ip_range?: string }[];
    options?: Record<string, string | null>;
  };
  internal?: boolean;
  attachable?: boolean;
}

export interface ComposeVolume extends ComposeExternal {
  driver?: string;
  driver_opts?: Record<string, string | null>;
}

export interface ComposeFileObject extends ComposeExternal {
  /** Path of the data, resolved against the first stack file's directory. */
  file?: string;
}
