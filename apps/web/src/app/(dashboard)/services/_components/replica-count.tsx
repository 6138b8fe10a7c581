import type { Replicas } from "@/lib/service-stats.ts";

/** "2/3" with a colour: green when every desired replica runs. */
export function ReplicaCount({ replicas, label }: { replicas: Replicas; label: string }) {
  const done = replicas.running === replicas.desired;
  return (
    <span
      data-testid={`replicas-${label}`}
      title={`${replicas.running} of ${replicas.desired} replicas running`}
      className={`font-mono text-sm font-medium tabular-nums ${done ? "text-emerald-700" : "text-amber-700"}`}
    >
      {replicas.running}/{replicas.desired}
    </span>
  );
}
