import { Badge, type Tone } from "@/components/badge.tsx";
import type { ServiceItem } from "@/lib/trpc-client.ts";

const TONE: Record<string, Tone> = {
  updating: "info",
  paused: "warn",
  completed: "good",
  rollback_started: "warn",
  rollback_paused: "bad",
  rollback_completed: "neutral",
};

export function UpdateStateBadge({ service }: { service: ServiceItem }) {
  const status = service.updateStatus;
  if (!status) return <span className="text-slate-400">–</span>;
  return <Badge tone={TONE[status.state] ?? "neutral"}>{status.state.replace("_", " ")}</Badge>;
}
