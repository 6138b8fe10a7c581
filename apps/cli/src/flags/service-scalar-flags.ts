/** The one-value flags of `service create|update`: resources, restart, update/rollback, health, stop. */
import type { ServiceSpecInput } from "../api-types.ts";
import { UsageError } from "../cli-error.ts";
import { flagBool, flagString, type ServiceFlags } from "./service-flags.ts";
import { countFlag, cpuFlagNano, durationFlagMs, memoryFlagBytes, ratioFlag } from "./units.ts";

type UpdateConfig = NonNullable<ServiceSpecInput["updateConfig"]>;

export function applyScalarFlags(spec: ServiceSpecInput, flags: ServiceFlags): void {
  const tt = spec.taskTemplate;
  const cs = tt.containerSpec;
  const get = (name: string) => flagString(flags, name);
  const set = <T>(name: string, parse: (flag: string, text: string) => T, apply: (value: T) => void) => {
    const text = get(name);
    if (text !== undefined) apply(parse(name, text));
  };
  const text = (_flag: string, t: string) => t;

  tt.resources ??= {};
  const resources = tt.resources;
  resources.limits ??= {};
  const limits = resources.limits;
  resources.reservations ??= {};
  const reservations = resources.reservations;
  set("limit-cpu", cpuFlagNano, (v) => {
    limits.nanoCpus = v;
  });
  set("limit-memory", memoryFlagBytes, (v) => {
    limits.memoryBytes = v;
  });
  set("reserve-cpu", cpuFlagNano, (v) => {
    reservations.nanoCpus = v;
  });
  set("reserve-memory", memoryFlagBytes, (v) => {
    reservations.memoryBytes = v;
  });

  tt.restartPolicy ??= {};
  const restart = tt.restartPolicy;
  set("restart-condition", oneOf(["none", "on-failure", "any"] as const), (v) => {
    restart.condition = v;
  });
  set("restart-delay", durationFlagMs, (v) => {
    restart.delayMs = v;
  });
  set("restart-max-attempts", countFlag, (v) => {
    restart.maxAttempts = v;
  });
  set("restart-window", durationFlagMs, (v) => {
    restart.windowMs = v;
  });
  set("replicas-max-per-node", countFlag, (v) => {
    tt.placement ??= {};
    tt.placement.maxReplicas = v;
  });

  spec.updateConfig = applyUpdateConfig(spec.updateConfig ?? {}, "update", get);
  spec.rollbackConfig = applyUpdateConfig(spec.rollbackConfig ?? {}, "rollback", get);

  set("endpoint-mode", oneOf(["vip", "dnsrr"] as const), (v) => {
    spec.endpointSpec ??= {};
    spec.endpointSpec.mode = v;
  });
  set("stop-grace-period", durationFlagMs, (v) => {
    cs.stopGracePeriodMs = v;
  });
  set("stop-signal", text, (v) => {
    cs.stopSignal = v;
  });
  set("hostname", text, (v) => {
    cs.hostname = v;
  });
  set("user", text, (v) => {
    cs.user = v;
  });
  set("workdir", text, (v) => {
    cs.dir = v;
  });
  set("entrypoint", text, (v) => (cs.command = v.trim() === "" ? [] : v.trim().split(/\s+/)));
  applyHealth(cs, flags, get);
}

function applyUpdateConfig(
  config: UpdateConfig,
  prefix: "update" | "rollback",
  get: (name: string) => string | undefined,
): UpdateConfig {
  const next = { ...config };
  const t = (name: string) => get(`${prefix}-${name}`);
  const flag = (name: string) => `${prefix}-${name}`;
  const parallelism = t("parallelism");
  if (parallelism !== undefined) next.parallelism = countFlag(flag("parallelism"), parallelism);
  const delay = t("delay");
  if (delay !== undefined) next.delayMs = durationFlagMs(flag("delay"), delay);
  const action = t("failure-action");
  if (action !== undefined) {
    next.failureAction = oneOf(["pause", "continue", "rollback"] as const)(flag("failure-action"), action);
  }
  const monitor = t("monitor");
  if (monitor !== undefined) next.monitorMs = durationFlagMs(flag("monitor"), monitor);
  const ratio = t("max-failure-ratio");
  if (ratio !== undefined) next.maxFailureRatio = ratioFlag(flag("max-failure-ratio"), ratio);
  const order = t("order");
  if (order !== undefined) next.order = oneOf(["stop-first", "start-first"] as const)(flag("order"), order);
  return next;
}

type Cs = ServiceSpecInput["taskTemplate"]["containerSpec"];

function applyHealth(cs: Cs, flags: ServiceFlags, get: (name: string) => string | undefined): void {
  const cmd = get("health-cmd");
  const touched = [
    "health-cmd",
    "health-interval",
    "health-timeout",
    "health-retries",
    "health-start-period",
  ].some((f) => get(f) !== undefined);
  if (flagBool(flags, "no-healthcheck")) {
    if (touched) throw new UsageError("--no-healthcheck conflicts with the --health-* flags");
    cs.healthcheck = { test: ["NONE"], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0 };
    return;
  }
  if (!touched) return;
  const current = cs.healthcheck;
  const test = cmd !== undefined ? ["CMD-SHELL", cmd] : current?.test;
  if (test === undefined || test[0] === "NONE") {
    throw new UsageError("--health-* flags need --health-cmd (the service has no health check)");
  }
  const ms = (name: string, fallback: number) => {
    const v = get(name);
    return v === undefined ? fallback : durationFlagMs(name, v);
  };
  const retries = get("health-retries");
  cs.healthcheck = {
    test,
    intervalMs: ms("health-interval", current?.intervalMs ?? 0),
    timeoutMs: ms("health-timeout", current?.timeoutMs ?? 0),
    retries: retries === undefined ? (current?.retries ?? 0) : countFlag("health-retries", retries),
    startPeriodMs: ms("health-start-period", current?.startPeriodMs ?? 0),
  };
}

function oneOf<const T extends string>(values: readonly T[]) {
  return (flag: string, text: string): T => {
    if (!(values as readonly string[]).includes(text)) {
      throw new UsageError(`--${flag} ${text}: expected ${values.join(", ")}`);
    }
    return text as T;
  };
}
