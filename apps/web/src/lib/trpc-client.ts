/**
 * The one tRPC client of the dashboard (same origin: /api/trpc, the session cookie rides along).
 * Only types come from @shoal/api, so no server code reaches the browser bundle.
 */
import type { AppRouter } from "@shoal/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/api/trpc" })],
});

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type NodeItem = RouterOutputs["nodes"]["list"]["items"][number];
export type ServiceItem = RouterOutputs["services"]["list"]["items"][number];
export type TaskItem = RouterOutputs["tasks"]["list"]["items"][number];
export type NodeStatus = RouterOutputs["swarm"]["status"];
export type Me = RouterOutputs["auth"]["me"];
