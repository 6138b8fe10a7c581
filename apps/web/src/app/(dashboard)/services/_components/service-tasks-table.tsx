"use client";
import { memo, useMemo, useState } from "react";
import { Badge } from "@/components/badge.tsx";
import { Button } from "@/components/button.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { formatAge, shortId } from "@/lib/format.ts";
import { TASK_STATE, taskStateName, taskStateTone } from "@/lib/task-states.ts";
import type { NodeItem, TaskItem } from "@/lib/trpc-client.ts";
import { useNow } from "@/lib/use-now.ts";

/** Rows drawn at first and added by each "Show more": a service of thousands stays quick. */
export const TASK_ROWS_PAGE = 200;

/** Newest first per slot; a pending task shows the scheduler's explanation as its error. */
export function ServiceTasksTable({ tasks, nodes }: { tasks: TaskItem[]; nodes: NodeItem[] }) {
  const now = useNow();
  const [shown, setShown] = useState(TASK_ROWS_PAGE);
  const hostnames = useMemo(
    () => new Map(nodes.map((n) => [n.id, n.description?.hostname ?? shortId(n.id)])),
    [nodes],
  );
  const sorted = useMemo(
    () => [...tasks].sort((a, b) => a.slot - b.slot || b.createdAtMs - a.createdAtMs),
    [tasks],
  );
  if (tasks.length === 0)
    return <p className="text-sm text-slate-500">No tasks: the service is scaled to 0.</p>;
  const hidden = sorted.length - shown;
  return (
    <>
      <Table columns={["Slot", "Task", "Node", "Desired", "Current state", "Error"]}>
        {sorted.slice(0, shown).map((task) => (
          <TaskRow
            key={task.id}
            task={task}
            hostname={task.nodeId === "" ? "–" : (hostnames.get(task.nodeId) ?? shortId(task.nodeId))}
            now={now}
          />
        ))}
      </Table>
      {hidden > 0 ? (
        <div className="mt-3 flex items-center gap-3 text-sm text-slate-500">
          Showing {shown} of {sorted.length} tasks.
          <Button size="sm" onClick={() => setShown((n) => n + TASK_ROWS_PAGE)}>
            Show {Math.min(hidden, TASK_ROWS_PAGE)} more
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** One task; drawn again only when the task, its node's name or the age clock changes. */
const TaskRow = memo(function TaskRow({
  task,
  hostname,
  now,
}: {
  task: TaskItem;
  hostname: string;
  now: number;
}) {
  const pending = Number(task.status.state) === TASK_STATE.pending;
  const problem = task.status.err ?? (pending ? task.status.message : "");
  return (
    <Row>
      <Cell>{task.slot || "–"}</Cell>
      <Cell mono>{shortId(task.id)}</Cell>
      <Cell>{hostname}</Cell>
      <Cell>{taskStateName(task.desiredState)}</Cell>
      <Cell>
        <span data-testid="task-state" data-task-id={task.id}>
          <Badge tone={taskStateTone(task.status.state)}>{taskStateName(task.status.state)}</Badge>
        </span>{" "}
        <span className="text-xs text-slate-500">{formatAge(task.status.timestampMs, now)} ago</span>
      </Cell>
      <Cell className="max-w-md whitespace-normal text-xs text-rose-700">{problem || ""}</Cell>
    </Row>
  );
});
