import { Badge, type Tone } from "@/components/badge.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { formatBytes, formatCpus } from "@/lib/format.ts";
import type { NodeItem, TaskItem } from "@/lib/trpc-client.ts";
import { NodeActions } from "./node-actions.tsx";

/** TaskState.Running in @shoal/store (a numeric enum; the client imports no store code). */
const TASK_RUNNING = 512;
const STATE_TONE: Record<string, Tone> = {
  ready: "good",
  down: "bad",
  disconnected: "warn",
  unknown: "neutral",
};
const AVAILABILITY_TONE: Record<string, Tone> = { active: "good", pause: "warn", drain: "neutral" };

export function NodesTable({
  nodes,
  tasks,
  canOperate,
  canAdmin,
}: {
  nodes: NodeItem[];
  tasks: TaskItem[];
  canOperate: boolean;
  canAdmin: boolean;
}) {
  const managerCount = nodes.filter((n) => n.spec.role === "manager").length;
  const running = new Map<string, number>();
  for (const task of tasks) {
    if (task.nodeId && Number(task.desiredState) === TASK_RUNNING)
      running.set(task.nodeId, (running.get(task.nodeId) ?? 0) + 1);
  }
  const columns = [
    "Hostname",
    "Role",
    "Status",
    "Availability",
    "Manager status",
    "Engine",
    "CPU",
    "Memory",
    "Tasks",
  ];
  return (
    <Table columns={canOperate ? [...columns, ""] : columns}>
      {[...nodes]
        .sort((a, b) => hostname(a).localeCompare(hostname(b)))
        .map((node) => (
          <Row key={node.id}>
            <Cell className="font-medium text-slate-900">
              {hostname(node)}
              <div className="font-mono text-[11px] font-normal text-slate-400">{node.id.slice(0, 12)}</div>
            </Cell>
            <Cell>
              {node.spec.role}
              {node.spec.role !== node.role ? (
                <span className="ml-1 text-xs text-amber-700">(becoming {node.spec.role})</span>
              ) : null}
            </Cell>
            <Cell>
              <Badge tone={STATE_TONE[node.status.state] ?? "neutral"}>{node.status.state}</Badge>
            </Cell>
            <Cell>
              <Badge tone={AVAILABILITY_TONE[node.spec.availability] ?? "neutral"}>
                {node.spec.availability}
              </Badge>
            </Cell>
            <Cell>{managerStatus(node)}</Cell>
            <Cell mono>{node.description?.engine.version || "–"}</Cell>
            <Cell>{formatCpus(node.description?.resources.nanoCpus ?? 0)}</Cell>
            <Cell>{formatBytes(node.description?.resources.memoryBytes ?? 0)}</Cell>
            <Cell>{running.get(node.id) ?? 0}</Cell>
            {canOperate ? (
              <Cell>
                <NodeActions node={node} managerCount={managerCount} canAdmin={canAdmin} />
              </Cell>
            ) : null}
          </Row>
        ))}
    </Table>
  );
}

function hostname(node: NodeItem): string {
  return node.description?.hostname ?? node.spec.name ?? node.id;
}

function managerStatus(node: NodeItem) {
  const status = node.managerStatus;
  if (!status) return <span className="text-slate-400">–</span>;
  if (status.leader) return <Badge tone="info">Leader</Badge>;
  return (
    <Badge tone={status.reachability === "reachable" ? "good" : "bad"}>
      {status.reachability === "reachable" ? "Reachable" : status.reachability}
    </Badge>
  );
}
