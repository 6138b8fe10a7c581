/**
 * The create/update service form as plain values, turned into the API's service spec input and
 * checked with the server's own zod schema (ServiceSpecInput). Pure: no React, no I/O.
 */
import { ServiceSpecInput } from "@/lib/shared-schemas.ts";
import type { ServiceItem } from "@/lib/trpc-client.ts";

export const FORM_DEFAULTS = {
  name: "",
  image: "",
  mode: "replicated" as "replicated" | "global",
  replicas: "1",
  ports: "",
  env: "",
  constraints: "",
  preferences: "",
  cpuLimit: "",
  memoryLimit: "",
  cpuReservation: "",
  memoryReservation: "",
  restartCondition: "any",
  restartDelay: "5s",
  restartMaxAttempts: "0",
  updateParallelism: "1",
  updateDelay: "0s",
  updateFailureAction: "pause",
  updateMonitor: "5s",
  updateOrder: "stop-first",
};
export type ServiceFormValues = typeof FORM_DEFAULTS;
export type FieldName = keyof ServiceFormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** Which form field a zod issue path belongs to (first matching prefix wins). */
const ISSUE_FIELDS: [string, FieldName][] = [
  ["name", "name"],
  ["taskTemplate.containerSpec.image", "image"],
  ["taskTemplate.containerSpec.env", "env"],
  ["mode", "replicas"],
  ["endpointSpec", "ports"],
  ["taskTemplate.placement.constraints", "constraints"],
  ["taskTemplate.placement.preferences", "preferences"],
  ["taskTemplate.resources.limits.nanoCpus", "cpuLimit"],
  ["taskTemplate.resources.limits.memoryBytes", "memoryLimit"],
  ["taskTemplate.resources.reservations.nanoCpus", "cpuReservation"],
  ["taskTemplate.resources.reservations.memoryBytes", "memoryReservation"],
  ["taskTemplate.restartPolicy.condition", "restartCondition"],
  ["taskTemplate.restartPolicy.delayMs", "restartDelay"],
  ["taskTemplate.restartPolicy.maxAttempts", "restartMaxAttempts"],
  ["updateConfig.parallelism", "updateParallelism"],
  ["updateConfig.delayMs", "updateDelay"],
  ["updateConfig.failureAction", "updateFailureAction"],
  ["updateConfig.monitorMs", "updateMonitor"],
  ["updateConfig.order", "updateOrder"],
];

export interface BuiltSpec {
  spec?: ServiceSpecInput;
  errors: FieldErrors;
}

/** Form values → a spec the server accepts, or the errors to show next to each field. */
export function buildServiceSpec(values: ServiceFormValues, base?: ServiceItem["spec"]): BuiltSpec {
  const errors: FieldErrors = {};
  const fail = (field: FieldName, message: string) => {
    errors[field] ??= message;
    return 0;
  };
  const duration = (field: FieldName) =>
    parseDuration(values[field]) ?? fail(field, "a duration: 500ms, 5s, 1m");
  const bytes = (field: FieldName) =>
    parseBytes(values[field]) ?? fail(field, "a size: 64M, 1G (empty: none)");
  const cpus = (field: FieldName) => parseCpus(values[field]) ?? fail(field, "CPUs: 0.5, 2 (empty: none)");
  const int = (field: FieldName) =>
    /^\d+$/.test(values[field].trim()) ? Number(values[field]) : fail(field, "a whole number");
  const ports = lines(values.ports).map(
    (line) => parsePort(line) ?? fail("ports", `"${line}": write PUBLISHED:TARGET[/tcp|udp] or TARGET`),
  );
  const template = base?.taskTemplate;
  const candidate = {
    ...(base ?? {}),
    name: values.name.trim(),
    labels: base?.labels ?? {},
    taskTemplate: {
      ...(template ?? {}),
      containerSpec: {
        ...(template?.containerSpec ?? {}),
        image: values.image.trim(),
        env: lines(values.env),
      },
      placement: {
        ...(template?.placement ?? {}),
        constraints: lines(values.constraints),
        preferences: lines(values.preferences).map((spread) => ({ spread: spread.replace(/^spread=/, "") })),
      },
      resources: {
        limits: { nanoCpus: cpus("cpuLimit"), memoryBytes: bytes("memoryLimit") },
        reservations: { nanoCpus: cpus("cpuReservation"), memoryBytes: bytes("memoryReservation") },
      },
      restartPolicy: {
        ...(template?.restartPolicy ?? {}),
        condition: values.restartCondition,
        delayMs: duration("restartDelay"),
        maxAttempts: int("restartMaxAttempts"),
      },
    },
    mode: values.mode === "global" ? { global: {} } : { replicated: { replicas: int("replicas") } },
    updateConfig: {
      ...(base?.updateConfig ?? {}),
      parallelism: int("updateParallelism"),
      delayMs: duration("updateDelay"),
      failureAction: values.updateFailureAction,
      monitorMs: duration("updateMonitor"),
      order: values.updateOrder,
    },
    endpointSpec: { ...(base?.endpointSpec ?? {}), ports: ports.filter((p) => p !== 0) },
  };
  const parsed = ServiceSpecInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      const field = ISSUE_FIELDS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? "name";
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { spec: candidate as ServiceSpecInput, errors };
}

/** A service's current spec as form values (the update form starts from these). */
export function valuesFromService(spec: ServiceItem["spec"]): ServiceFormValues {
  const t = spec.taskTemplate;
  return {
    name: spec.name,
    image: t.containerSpec.image,
    mode: "global" in spec.mode ? "global" : "replicated",
    replicas: "replicated" in spec.mode ? String(spec.mode.replicated.replicas) : "1",
    ports: spec.endpointSpec.ports
      .map((p) => `${p.publishedPort ? `${p.publishedPort}:` : ""}${p.targetPort}/${p.protocol}`)
      .join("\n"),
    env: t.containerSpec.env.join("\n"),
    constraints: t.placement.constraints.join("\n"),
    preferences: t.placement.preferences.map((p) => `spread=${p.spread}`).join("\n"),
    cpuLimit: cpuText(t.resources.limits.nanoCpus),
    memoryLimit: bytesText(t.resources.limits.memoryBytes),
    cpuReservation: cpuText(t.resources.reservations.nanoCpus),
    memoryReservation: bytesText(t.resources.reservations.memoryBytes),
    restartCondition: t.restartPolicy.condition,
    restartDelay: `${t.restartPolicy.delayMs}ms`,
    restartMaxAttempts: String(t.restartPolicy.maxAttempts),
    updateParallelism: String(spec.updateConfig.parallelism),
    updateDelay: `${spec.updateConfig.delayMs}ms`,
    updateFailureAction: spec.updateConfig.failureAction,
    updateMonitor: `${spec.updateConfig.monitorMs}ms`,
    updateOrder: spec.updateConfig.order,
  };
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return text.trim() === "" ? 0 : undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}

export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(text.trim());
  if (!m) return text.trim() === "" ? 0 : undefined;
  const unit = (m[2] ?? "b").toLowerCase()[0] as "b" | "k" | "m" | "g";
  return Math.round(Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit]);
}

export function parseCpus(text: string): number | undefined {
  if (text.trim() === "") return 0;
  const n = Number(text.trim());
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e9) : undefined;
}

function parsePort(line: string) {
  const m = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?$/.exec(line);
  if (!m) return undefined;
  return {
    publishedPort: m[1] ? Number(m[1]) : 0,
    targetPort: Number(m[2]),
    protocol: (m[3] ?? "tcp") as "tcp" | "udp" | "sctp",
  };
}

function cpuText(nano: number): string {
  return nano ? String(nano / 1e9) : "";
}

function bytesText(bytes: number): string {
  if (!bytes) return "";
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}G`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}M`;
  return String(bytes);
}
