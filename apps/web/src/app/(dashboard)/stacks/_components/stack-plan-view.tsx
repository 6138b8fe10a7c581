import { Badge, type Tone } from "@/components/badge.tsx";
import type { StackPlan } from "./use-stack-check.ts";

const ACTION_TONE: Record<string, Tone> = {
  create: "good",
  update: "info",
  unchanged: "neutral",
  remove: "bad",
  keep: "warn",
};

type ServicePlan = StackPlan["services"][number];

/** What deploying changes, per service: created, updated (field by field), removed, unchanged. */
export function StackPlanView({
  services,
  objects = [],
}: {
  services: ServicePlan[];
  objects?: StackPlan["objects"];
}) {
  const newObjects = objects.filter((o) => o.action === "create");
  return (
    <div className="space-y-2" data-testid="stack-plan">
      {services.map((s) => (
        <div key={s.name} className="rounded-md border border-slate-200 px-3 py-2">
          <div className="flex items-center gap-2 text-sm">
            <Badge tone={ACTION_TONE[s.action] ?? "neutral"}>{s.action}</Badge>
            <span className="font-medium text-slate-800">{s.name}</span>
            {s.action === "keep" ? (
              <span className="text-xs text-slate-500">
                not in the file; kept (turn on prune to remove it)
              </span>
            ) : null}
          </div>
          {s.changes.length > 0 ? (
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {s.changes.map((c) => (
                <li key={c.path} className="text-slate-700">
                  <span className="text-slate-500">{c.path}:</span>{" "}
                  <span className="bg-rose-50 text-rose-800 line-through decoration-rose-300">
                    {show(c.before)}
                  </span>{" "}
                  → <span className="bg-emerald-50 text-emerald-800">{show(c.after)}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      {newObjects.length > 0 ? (
        <p className="text-xs text-slate-600">
          Also creates: {newObjects.map((o) => `${o.kind} ${o.name}`).join(", ")}
        </p>
      ) : null}
    </div>
  );
}

function show(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
