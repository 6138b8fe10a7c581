import { Badge } from "@/components/badge.tsx";
import { Card } from "@/components/card.tsx";
import { ErrorNotice } from "@/components/error-notice.tsx";
import { Cell, Row, Table } from "@/components/table.tsx";
import { quorumSentence } from "@/lib/quorum.ts";
import type { NodeItem } from "@/lib/trpc-client.ts";

/** The Raft managers: who leads, who is reachable, and what the swarm can survive. */
export function ManagersPanel({
  managers,
  loading,
  error,
}: {
  managers: NodeItem[];
  loading: boolean;
  error: unknown;
}) {
  const reachable = managers.filter((m) => m.managerStatus?.reachability === "reachable").length;
  return (
    <Card title="Managers">
      {error ? <ErrorNotice error={error} title="Could not list the nodes" /> : null}
      {loading ? <p className="text-sm text-slate-500">Loading…</p> : null}
      {!loading && !error ? (
        <>
          <p className="mb-1 text-sm font-medium text-slate-800">{quorumSentence(managers.length)}</p>
          <p className="mb-4 text-sm text-slate-500">
            {reachable} of {managers.length} reachable; a majority ({Math.floor(managers.length / 2) + 1})
            must stay up for the swarm to accept changes.
          </p>
          <Table columns={["Hostname", "Address", "Leader", "Reachability"]}>
            {managers.map((m) => (
              <Row key={m.id}>
                <Cell className="font-medium">{m.description?.hostname ?? m.spec.name ?? m.id}</Cell>
                <Cell mono>{m.managerStatus?.addr ?? "–"}</Cell>
                <Cell>
                  {m.managerStatus?.leader ? (
                    <Badge tone="info">Leader</Badge>
                  ) : (
                    <span className="text-slate-400">–</span>
                  )}
                </Cell>
                <Cell>
                  <Badge
                    tone={
                      m.managerStatus?.reachability === "reachable"
                        ? "good"
                        : m.managerStatus?.reachability === "unreachable"
                          ? "bad"
                          : "neutral"
                    }
                  >
                    {m.managerStatus?.reachability ?? "joining"}
                  </Badge>
                </Cell>
              </Row>
            ))}
          </Table>
        </>
      ) : null}
    </Card>
  );
}
