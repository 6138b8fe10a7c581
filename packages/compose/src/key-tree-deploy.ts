import { bytes, duration, int, type KeySchema, listOf, listOrDict, num, obj, str } from "./key-schema.ts";

const cpus: KeySchema = { type: "cpus", description: 'CPUs, e.g. "0.5" (stored as nano CPUs)' };

const resources = (what: string) =>
  obj(`${what} of each task`, {
    cpus,
    memory: bytes('Memory, e.g. "512M" or "1g"'),
    pids: { ...int("Maximum number of processes (limits only)") },
    generic_resources: {
      type: "any",
      description: "Generic resources (not supported)",
      status: { ignored: true },
    },
    devices: { type: "any", description: "Device requests (not supported)", status: { ignored: true } },
  });

const updateConfig = (what: string) =>
  obj(`How a ${what} rolls over the tasks`, {
    parallelism: int("Tasks changed at once; 0 changes them all at once (default 1)"),
    delay: duration("Wait between batches (default 0s)"),
    failure_action: str("What to do when a task fails (default pause)", {
      enum: what === "rollback" ? ["pause", "continue"] : ["pause", "continue", "rollback"],
    }),
    monitor: duration("How long a new task must run to count as a success (default 5s)"),
    max_failure_ratio: num("Fraction of tasks that may fail before the failure action (default 0)"),
    order: str("Stop the old task first or start the new one first (default stop-first)", {
      enum: ["stop-first", "start-first"],
    }),
  });

/** `deploy:` — how swarm runs the service. */
export const DEPLOY_KEYS = obj("How the service is deployed and updated on the cluster", {
  mode: str("replicated (a fixed number of tasks) or global (one task per node)", {
    enum: ["replicated", "global"],
  }),
  replicas: int("Number of tasks (replicated mode; default 1)"),
  labels: listOrDict("Labels on the service (not on its containers)"),
  endpoint_mode: str("vip (a virtual IP) or dnsrr (DNS round robin)", { enum: ["vip", "dnsrr"] }),
  placement: obj("Where tasks may run", {
    constraints: listOf("Constraints such as node.role == manager", str("a constraint")),
    preferences: listOf(
      "Spread tasks over the values of a node label",
      obj("a placement preference", { spread: str("A label such as node.labels.zone") }),
    ),
    max_replicas_per_node: int("Maximum tasks of this service on one node (0 = no limit)"),
  }),
  resources: obj("Resource limits and reservations", {
    limits: resources("Limits"),
    reservations: resources("Reservations"),
  }),
  restart_policy: obj("When to restart a task that exits", {
    condition: str("none, on-failure or any (default any)", { enum: ["none", "on-failure", "any"] }),
    delay: duration("Wait between restarts (default 5s)"),
    max_attempts: int("Restarts before giving up (default 0 = unlimited)"),
    window: duration("How long to wait before deciding a restart succeeded (default 0)"),
  }),
  update_config: updateConfig("update"),
  rollback_config: updateConfig("rollback"),
});
