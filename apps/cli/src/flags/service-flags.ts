/**
 * The flags of `service create` and `service update` (docker's names), as parseArgs options and
 * the zod schema over their values. service-spec-flags.ts applies them to a spec.
 */
import { z } from "zod";
import type { OptionSpec } from "../command.ts";

const str = { type: "string" } as const;
const list = { type: "string", multiple: true } as const;
const bool = { type: "boolean" } as const;

/** Flags that set one value: the same for create and update. */
const SCALAR_FLAGS = {
  replicas: str,
  "replicas-max-per-node": str,
  "limit-cpu": str,
  "limit-memory": str,
  "reserve-cpu": str,
  "reserve-memory": str,
  "restart-condition": str,
  "restart-delay": str,
  "restart-max-attempts": str,
  "restart-window": str,
  "update-parallelism": str,
  "update-delay": str,
  "update-failure-action": str,
  "update-monitor": str,
  "update-max-failure-ratio": str,
  "update-order": str,
  "rollback-parallelism": str,
  "rollback-delay": str,
  "rollback-failure-action": str,
  "rollback-monitor": str,
  "rollback-max-failure-ratio": str,
  "rollback-order": str,
  "endpoint-mode": str,
  "health-cmd": str,
  "health-interval": str,
  "health-timeout": str,
  "health-retries": str,
  "health-start-period": str,
  "no-healthcheck": bool,
  "stop-grace-period": str,
  "stop-signal": str,
  hostname: str,
  user: { type: "string", short: "u" },
  workdir: { type: "string", short: "w" },
  entrypoint: str,
  detach: { type: "boolean", short: "d" },
  quiet: { type: "boolean", short: "q" },
} as const satisfies OptionSpec;

/** The list flags; create takes them as `--NAME`, update as `--NAME-add` / `--NAME-rm`. */
export const LIST_FLAGS = [
  "publish",
  "env",
  "label",
  "container-label",
  "constraint",
  "placement-pref",
  "network",
  "mount",
  "secret",
  "config",
] as const;
export type ListFlag = (typeof LIST_FLAGS)[number];

export const CREATE_OPTIONS = {
  ...SCALAR_FLAGS,
  name: str,
  mode: str,
  publish: { type: "string", short: "p", multiple: true },
  env: { type: "string", short: "e", multiple: true },
  label: { type: "string", short: "l", multiple: true },
  "container-label": list,
  constraint: list,
  "placement-pref": list,
  network: list,
  mount: list,
  secret: list,
  config: list,
} as const satisfies OptionSpec;

export const UPDATE_OPTIONS = {
  ...SCALAR_FLAGS,
  image: str,
  args: str,
  force: bool,
  rollback: bool,
  ...Object.fromEntries(LIST_FLAGS.flatMap((f) => [[`${f}-add`, list] as const, [`${f}-rm`, list] as const])),
} as OptionSpec;

const strings = z.array(z.string()).optional();

/** Values of either option set; each flag optional. */
export const ServiceFlags = z.looseObject({
  ...Object.fromEntries(
    Object.entries(SCALAR_FLAGS).map(([k, v]) => [
      k,
      v.type === "boolean" ? z.boolean().optional() : z.string().optional(),
    ]),
  ),
  name: z.string().optional(),
  mode: z.enum(["replicated", "global"], { error: "--mode is replicated or global" }).optional(),
  image: z.string().optional(),
  "args-flag": z.string().optional(),
  detach: z.boolean().optional(),
  quiet: z.boolean().optional(),
  force: z.boolean().optional(),
  rollback: z.boolean().optional(),
  ...Object.fromEntries(
    LIST_FLAGS.flatMap((f) => [
      [f, strings],
      [`${f}-add`, strings],
      [`${f}-rm`, strings],
    ]),
  ),
});
export type ServiceFlags = z.output<typeof ServiceFlags>;

/** A flag's values as strings (scalar flags) or string lists. */
export function flagString(flags: ServiceFlags, name: string): string | undefined {
  const v = (flags as Record<string, unknown>)[name];
  return typeof v === "string" ? v : undefined;
}

export function flagList(flags: ServiceFlags, name: string): string[] {
  const v = (flags as Record<string, unknown>)[name];
  return Array.isArray(v) ? (v as string[]) : [];
}

export function flagBool(flags: ServiceFlags, name: string): boolean {
  return (flags as Record<string, unknown>)[name] === true;
}

export const SERVICE_FLAGS_HELP = `Options shared by create and update:
  --replicas N  --mode replicated|global  --replicas-max-per-node N
  --publish, -p 8080:80[/udp] | published=,target=,protocol=,mode=ingress|host
  --env, -e KEY=value  --label, -l k=v  --container-label k=v
  --constraint 'node.role==manager'  --placement-pref spread=node.labels.zone
  --limit-cpu 0.5  --limit-memory 512M  --reserve-cpu  --reserve-memory
  --restart-condition none|on-failure|any  --restart-delay 5s  --restart-max-attempts N  --restart-window 1m
  --update-parallelism N  --update-delay 10s  --update-failure-action pause|continue|rollback
  --update-monitor 5s  --update-max-failure-ratio 0.2  --update-order stop-first|start-first
  --rollback-parallelism ... --rollback-order (as --update-*)
  --network NAME  --endpoint-mode vip|dnsrr
  --mount type=bind|volume|tmpfs,source=,target=[,readonly]
  --secret NAME | source=,target=,uid=,gid=,mode=0400   --config (as --secret)
  --health-cmd CMD  --health-interval 30s  --health-timeout 5s  --health-retries 3
  --health-start-period 0s  --no-healthcheck
  --stop-grace-period 10s  --stop-signal SIGTERM  --hostname  --user, -u  --workdir, -w  --entrypoint
  --detach, -d (do not wait for the service to converge)  --quiet, -q (no progress)`;
