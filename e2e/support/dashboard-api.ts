/**
 * The dashboard's own API (tRPC over HTTP) from a scenario, with the browser context's session:
 * scenarios make their own services and stacks through it and check state the UI does not show.
 */
import { TaskState } from "@shoal/store";
import type { Page } from "playwright-core";

interface TrpcAnswer {
  result?: { data: unknown };
  error?: { message: string };
}

async function answer(path: string, response: { status(): number; json(): Promise<unknown> }) {
  const body = (await response.json()) as TrpcAnswer;
  if (body.error || response.status() !== 200) {
    throw new Error(`${path} answered ${response.status()}: ${body.error?.message ?? "no result"}`);
  }
  return body.result?.data;
}

export async function mutate<T = unknown>(page: Page, path: string, input: unknown): Promise<T> {
  return (await answer(path, await page.request.post(`/api/trpc/${path}`, { data: input }))) as T;
}

export async function query<T = unknown>(page: Page, path: string, input: unknown = {}): Promise<T> {
  const url = `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
  return (await answer(path, await page.request.get(url))) as T;
}

/** A replicated service of the test image serving HTTP (a task that keeps running). */
export function httpService(name: string, replicas: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    mode: { replicated: { replicas } },
    taskTemplate: {
      containerSpec: { image: "shoal-test/busybox:1", command: ["httpd", "-f", "-p", "80"] },
    },
    ...extra,
  };
}

interface TaskView {
  nodeId: string;
  status: { state: number };
}

/** Running tasks of a service per node id. */
export async function runningTasksByNode(page: Page, service: string): Promise<Map<string, number>> {
  const { items } = await query<{ items: TaskView[] }>(page, "tasks.list", {
    filters: { service, desiredState: ["running"] },
  });
  const byNode = new Map<string, number>();
  for (const t of items) {
    if (t.status.state !== TaskState.Running) continue;
    byNode.set(t.nodeId, (byNode.get(t.nodeId) ?? 0) + 1);
  }
  return byNode;
}

export async function nodeIdOf(page: Page, hostname: string): Promise<string> {
  const { items } = await query<{ items: { id: string; description?: { hostname: string } }[] }>(
    page,
    "nodes.list",
  );
  const node = items.find((n) => n.description?.hostname === hostname);
  if (!node)
    throw new Error(
      `no node named ${hostname} in the swarm (have: ${items.map((n) => n.description?.hostname).join(", ")})`,
    );
  return node.id;
}
