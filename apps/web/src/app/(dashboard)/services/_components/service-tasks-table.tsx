"use client";
import { Badge } from "@/components/badge.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { formatAge, shortId } from "@/lib/format.ts";
import { TASK_STATE, taskStateName, taskStateTone } from "@/lib/task-states.ts";
import type { NodeItem, TaskItem } from "@/lib/trpc-client.ts";
import { useNow } from "@/lib/use-now.ts";

/** Newest first per slot; a pending task shows the scheduler's explanation as its error. */
export function ServiceTasksTable({ tasks, nodes }: { tasks: TaskItem[]; nodes: NodeItem[] }) {
  const now = useNow();
  if (tasks.length === 0)
    return <p className="text-sm text-slate-500">No tasks: the service is scaled to 0.</p>;
  const hostname = (id: string) =>
    id === "" ? "–" : (nodes.find((n) => n.id === id)?.description?.hostname ?? shortId(id));
  const sorted = [...tasks].sort((a, b) => a.slot - b.slot || b.createdAtMs - a.createdAtMs);
  return (
    <Table columns={["Slot", "Task", "Node", "Desired", "Current state", "Error"]}>
      {sorted.map((task) => {
        const pending = Number(task.status.state) === TASK_STATE.pending;
        const problem = task.status.err ?? (pending ? task.status.message : "");
        return (
          <Row key={task.id}>
            <Cell>{task.slot || "–"}</Cell>
            <Cell mono>{shortId(task.id)}</Cell>
            <Cell>{hostname(task.nodeId)}</Cell>
            <Cell>{taskStateName(task.desiredState)}</Cell>
            <Cell>
              <span data-testid="task-state">
                <Badge tone={taskStateTone(task.status.state)}>{taskStateName(task.status.state)}</Badge>
              </span>{" "}
              <span className="text-xs text-slate-500">{formatAge(task.status.timestampMs, now)} ago</span>
            </Cell>
            <Cell className="max-w-md whitespace-normal text-xs text-rose-700">{problem || ""}</Cell>
          </Row>
        );
      })}
    </Table>
  );
}
