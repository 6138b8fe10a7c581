import {
  bool,
  duration,
  forbidden,
  ignored,
  int,
  type KeySchema,
  listOf,
  listOrDict,
  mapOf,
  obj,
  str,
  stringOrList,
} from "./key-schema.ts";
import { DEPLOY_KEYS } from "./key-tree-deploy.ts";

const portLong = obj("a published port", {
  target: int("Port inside the container"),
  published: int("Port published on the cluster (0 or absent = allocate one)"),
  protocol: str("tcp, udp or sctp (default tcp)", { enum: ["tcp", "udp", "sctp"] }),
  mode: str("ingress (routing mesh, default) or host", { enum: ["ingress", "host"] }),
  name: str("A name for the port"),
});

const volumeLong = obj("a mount", {
  type: str("volume, bind or tmpfs", { enum: ["volume", "bind", "tmpfs", "npipe"] }),
  source: str("Volume name or host path"),
  target: str("Path inside the container"),
  read_only: bool("Mount read-only"),
  consistency: ignored("Mount consistency (not used by swarm)"),
  bind: obj("Bind mount options", {
    propagation: str("Bind propagation", {
      enum: ["rprivate", "private", "rshared", "shared", "rslave", "slave"],
    }),
  }),
  volume: obj("Volume options", { nocopy: bool("Do not copy data from the image into a new volume") }),
  tmpfs: obj("tmpfs options", { size: { type: "bytes", description: "Size of the tmpfs" } }),
});

const fileReference = (what: string): KeySchema => ({
  type: "union",
  description: `a ${what} the service uses`,
  scalar: str(`Name of a top-level ${what}`),
  map: obj(`a ${what} reference`, {
    source: str(`Name of a top-level ${what}`),
    target: str(
      what === "secret" ? "File name under /run/secrets, or an absolute path" : "Path in the container",
    ),
    uid: str("Owner user id (default 0)"),
    gid: str("Owner group id (default 0)"),
    mode: int("File mode, e.g. 0440 (default 0444)"),
  }),
});

const serviceNetworks: KeySchema = {
  type: "union",
  description: "Networks the service joins (default: the stack's default network)",
  list: listOf("network names", str("Name of a top-level network")),
  map: mapOf(
    "networks by name",
    obj(
      "attachment options",
      {
        aliases: listOf("Extra DNS names on this network", str("an alias")),
        ipv4_address: ignored("Static IPv4 address (not supported by swarm)"),
        ipv6_address: ignored("Static IPv6 address (not supported by swarm)"),
      },
      { nullable: true },
    ),
  ),
};

const ulimit: KeySchema = {
  type: "union",
  description: "a limit: one number, or soft and hard",
  scalar: int("Soft and hard limit"),
  map: obj("soft and hard limits", { soft: int("Soft limit"), hard: int("Hard limit") }),
};

const resourcesHint = "Set resource limits using deploy.resources";

/** One service under `services:`. */
export const SERVICE_KEYS = obj("A service: the containers swarm keeps running", {
  image: str("Image to run, e.g. nginx:1.27"),
  command: stringOrList("Arguments to the entrypoint (the image's CMD)"),
  entrypoint: stringOrList("Entrypoint (the image's ENTRYPOINT)"),
  environment: listOrDict("Environment variables"),
  env_file: stringOrList("Files of KEY=value lines, relative to the stack file"),
  ports: listOf("Published ports", {
    type: "union",
    description: "a port: short syntax 8080:80/tcp or long syntax",
    scalar: str("[published:]target[/protocol]"),
    map: portLong,
  }),
  networks: serviceNetworks,
  volumes: listOf("Mounts", {
    type: "union",
    description: "a mount: short syntax source:target[:ro] or long syntax",
    scalar: str("[source:]target[:mode]"),
    map: volumeLong,
  }),
  tmpfs: stringOrList("tmpfs mounts (paths)"),
  secrets: listOf("Secrets to mount", fileReference("secret")),
  configs: listOf("Configs to mount", fileReference("config")),
  healthcheck: obj("How to tell the container is healthy", {
    test: stringOrList('Command: ["CMD", ...], ["CMD-SHELL", "..."], or a shell string'),
    interval: duration("Time between checks (default 30s)"),
    timeout: duration("Time a check may take (default 30s)"),
    retries: int("Failures in a row before unhealthy (default 3)"),
    start_period: duration("Start-up time during which failures do not count"),
    disable: bool("Disable the image's healthcheck"),
  }),
  user: str("User (name or uid[:gid]) the process runs as"),
  working_dir: str("Working directory"),
  hostname: str("Container hostname"),
  labels: listOrDict("Labels on the containers"),
  stop_signal: str("Signal that stops the container (default SIGTERM)"),
  stop_grace_period: duration("Wait after the stop signal before killing (default 10s)"),
  init: bool("Run an init process that reaps zombies"),
  cap_add: listOf("Kernel capabilities to add", str("a capability")),
  cap_drop: listOf("Kernel capabilities to drop", str("a capability")),
  sysctls: listOrDict("Kernel parameters"),
  ulimits: mapOf("Resource limits by name (nofile, nproc, ...)", ulimit),
  logging: obj("Log driver", {
    driver: str("Log driver name"),
    options: mapOf("Driver options", str("an option", { nullable: true, loose: true })),
  }),
  dns: stringOrList("DNS servers"),
  dns_search: stringOrList("DNS search domains"),
  extra_hosts: listOrDict("Extra /etc/hosts lines (host:ip)"),
  tty: bool("Allocate a terminal"),
  stdin_open: bool("Keep stdin open"),
  read_only: bool("Mount the root filesystem read-only"),
  deploy: DEPLOY_KEYS,
  // Keys `docker stack deploy` accepts and ignores.
  build: ignored("Build options (swarm runs images; build them first)"),
  cgroup_parent: ignored("Parent cgroup (not supported by swarm)"),
  cgroupns_mode: ignored("cgroup namespace mode (not supported by swarm)"),
  container_name: ignored("Container name (swarm names tasks itself)"),
  credential_spec: ignored("Windows credential spec (not supported)"),
  depends_on: ignored("Start order (swarm starts services independently)"),
  devices: ignored("Host devices (not supported by swarm)"),
  domainname: ignored("Domain name (not supported by swarm)"),
  expose: ignored("Exposed ports (informational only)"),
  external_links: ignored("External links (not supported by swarm)"),
  ipc: ignored("IPC mode (not supported by swarm)"),
  isolation: ignored("Isolation technology (Windows only)"),
  links: ignored("Links (use networks)"),
  mac_address: ignored("MAC address (not supported by swarm)"),
  network_mode: ignored("Network mode (not supported by swarm)"),
  pid: ignored("PID mode (not supported by swarm)"),
  privileged: ignored("Privileged mode (not supported by swarm)"),
  restart: ignored("Restart policy (use deploy.restart_policy)"),
  security_opt: ignored("Security options (not supported by swarm)"),
  shm_size: ignored("Size of /dev/shm (not supported by swarm)"),
  userns_mode: ignored("User namespace mode (not supported by swarm)"),
  // Keys docker refuses, with the reason it gives.
  extends: forbidden("Extend another service", "Support for `extends` is not implemented."),
  volume_driver: forbidden(
    "Volume driver",
    "Define a volume under the top-level `volumes` with a driver instead of setting it on the service.",
  ),
  volumes_from: forbidden(
    "Share volumes",
    "Define the volume under the top-level `volumes` and reference it from each service that shares it.",
  ),
  cpu_quota: forbidden("CPU quota", resourcesHint),
  cpu_shares: forbidden("CPU shares", resourcesHint),
  cpuset: forbidden("CPU set", resourcesHint),
  mem_limit: forbidden("Memory limit", resourcesHint),
  memswap_limit: forbidden("Memory and swap limit", resourcesHint),
});
