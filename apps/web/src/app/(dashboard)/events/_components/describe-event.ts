/** A history event in words ("task web.2 failed: …", "node h2 is down"), for the feed. */
import { taskStateName } from "@/lib/task-states.ts";

export interface FeedEvent {
  key: string;
  timeMs: number;
  kind: string;
  action: string;
  name: string;
  actor: string | null;
  detail: Record<string, unknown>;
}

export type Severity = "bad" | "warn" | "info" | "neutral";

export function describeEvent(e: FeedEvent): { text: string; severity: Severity } {
  const d = e.detail;
  if (e.action === "delete") return { text: `${e.kind} ${e.name} removed`, severity: "neutral" };
  if (e.action === "create" && e.kind !== "task")
    return { text: `${e.kind} ${e.name} created`, severity: "info" };
  switch (e.kind) {
    case "node": {
      const state = String(d.state ?? "");
      const text = state
        ? `node ${e.name} is ${state} (${d.availability}, ${d.role})`
        : `node ${e.name} changed`;
      return { text, severity: state === "down" ? "bad" : state === "disconnected" ? "warn" : "neutral" };
    }
    case "task": {
      if (typeof d.state !== "number") return { text: `task ${e.name} ${e.action}d`, severity: "neutral" };
      const state = taskStateName(d.state);
      const message = typeof d.message === "string" && d.message ? `: ${d.message}` : "";
      const failed = state === "failed" || state === "rejected" || state === "orphaned";
      return {
        text: `task ${e.name} ${state}${message}`,
        severity: failed ? "bad" : state === "pending" ? "warn" : "neutral",
      };
    }
    case "service": {
      const update = d.updateState ? String(d.updateState) : "";
      const paused = update === "paused" || update === "rollback_paused";
      const replicas = d.replicas !== undefined ? ` (${d.replicas} replicas)` : "";
      return {
        text: update
          ? `service ${e.name}: update ${update.replace("_", " ")}`
          : `service ${e.name} updated${replicas}`,
        severity: paused ? "bad" : update.startsWith("rollback") ? "warn" : "neutral",
      };
    }
    case "stackRevision":
      return { text: `stack revision ${e.name} deployed`, severity: "info" };
    default:
      return { text: `${e.kind} ${e.name} ${e.action}d`, severity: "neutral" };
  }
}
