"use client";
/**
 * The one place socket.io deltas become TanStack Query cache patches (no polling anywhere).
 * - One socket per browser tab, opened by <LiveUpdatesProvider> once the user is logged in.
 * - On every (re)connect it subscribes to the list rooms from the lowest `version` among the
 *   cached lists, so a reconnect resumes exactly; `resync-required` (or a `resync` event) refetches
 *   the lists and subscribes again from their new version.
 * - `node.updated` / `service.updated` / `task.updated` are gathered per animation frame and
 *   patch `queryKeys.list(kind)` once per frame (list-patch.ts: indexed, deltas older than a
 *   list's version are already in it and are skipped), so a burst costs one render.
 * - `event` deltas go to `useLiveEvents(handler)` listeners (the Events page) in the same frame
 *   batch, after the list deltas that came before them.
 * - Network queries (no room of their own) are refetched when task/service deltas or a network
 *   event arrive, if a page shows them.
 * - `useLiveConnection()` says whether the stream is up (the banner).
 */
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { FrameBatcher } from "./frame-batcher.ts";
import { applyDeltas, type ListDelta } from "./list-patch.ts";
import { type ListKind, queryKeys } from "./query-keys.ts";

export interface LiveEvent {
  version: number;
  timeMs: number;
  kind: string;
  action: "create" | "update" | "delete";
  id: string;
  name: string;
  actor?: string;
}
interface List {
  version: number;
  items: { id: string }[];
}
interface KindDelta {
  kind: ListKind;
  delta: ListDelta;
}
type SubscribeResult = { ok: true; version: number } | { ok: false; code: string; message: string };

export type LiveConnection = "connecting" | "live" | "lost";

const LIST_ROOMS: Record<string, ListKind> = {
  "node.updated": "nodes",
  "service.updated": "services",
  "task.updated": "tasks",
};
const ROOMS = ["nodes", "services", "tasks", "events"];

interface LiveContextValue {
  connection: LiveConnection;
  eventListeners: Set<(event: LiveEvent) => void>;
}
const LiveContext = createContext<LiveContextValue>({ connection: "connecting", eventListeners: new Set() });

export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connection, setConnection] = useState<LiveConnection>("connecting");
  const listeners = useRef(new Set<(event: LiveEvent) => void>());

  useEffect(() => {
    const socket: Socket = io({ path: "/socket.io", withCredentials: true, transports: ["websocket"] });
    // List deltas and history events share one frame queue: an event reaches its listeners after
    // the list deltas that arrived before it are in the cache (the feed reads its detail there).
    const deltas = new FrameBatcher<KindDelta | { event: LiveEvent }>((batch) => {
      const lists = batch.filter((d): d is KindDelta => "kind" in d && "delta" in d);
      patchLists(queryClient, lists);
      if (lists.some((d) => d.kind !== "nodes")) refreshNetworks(queryClient);
      for (const item of batch) {
        if (!("event" in item)) continue;
        if (item.event.kind === "network") refreshNetworks(queryClient);
        for (const listener of listeners.current) listener(item.event);
      }
    });
    const subscribe = async (): Promise<void> => {
      const fromVersion = lowestListVersion(queryClient);
      const request = fromVersion === undefined ? { rooms: ROOMS } : { rooms: ROOMS, fromVersion };
      const result = (await socket.timeout(10_000).emitWithAck("subscribe", request)) as SubscribeResult;
      if (!result.ok && result.code === "resync-required") await resync();
    };
    const resync = async (): Promise<void> => {
      await queryClient.refetchQueries({ queryKey: queryKeys.allLists });
      await subscribe();
    };
    socket.on("connect", () => {
      setConnection("live");
      void subscribe().catch(() => setConnection("lost"));
    });
    socket.on("disconnect", () => setConnection("lost"));
    socket.on("connect_error", () => setConnection("lost"));
    socket.on("resync", () => void resync());
    for (const [event, kind] of Object.entries(LIST_ROOMS)) {
      socket.on(event, (delta: ListDelta) => deltas.add({ kind, delta }));
    }
    socket.on("event", (event: LiveEvent) => deltas.add({ event }));
    socket.on("denied", () => void queryClient.invalidateQueries({ queryKey: queryKeys.me }));
    return () => {
      socket.close();
      deltas.cancel();
    };
  }, [queryClient]);

  return (
    <LiveContext.Provider value={{ connection, eventListeners: listeners.current }}>
      {children}
    </LiveContext.Provider>
  );
}

/** Whether live updates are flowing ("lost" shows the banner). */
export function useLiveConnection(): LiveConnection {
  return useContext(LiveContext).connection;
}

/** Calls `handler` for every `event` delta (history lines) while the component is mounted. */
export function useLiveEvents(handler: (event: LiveEvent) => void): void {
  const { eventListeners } = useContext(LiveContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const listener = (event: LiveEvent) => latest.current(event);
    eventListeners.add(listener);
    return () => {
      eventListeners.delete(listener);
    };
  }, [eventListeners]);
}

function lowestListVersion(queryClient: QueryClient): number | undefined {
  const versions = queryClient
    .getQueriesData<List>({ queryKey: queryKeys.allLists })
    .map(([, data]) => data?.version)
    .filter((v): v is number => typeof v === "number");
  return versions.length === 0 ? undefined : Math.min(...versions);
}

/**
 * Networks' members follow tasks and services: refetch the network queries a page shows (an
 * inactive one is only marked stale). A refetch under way is not restarted, so a burst of
 * deltas costs at most one more request.
 */
function refreshNetworks(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.allNetworks }, { cancelRefetch: false });
}

/** Applies deltas (in arrival order) to the cached lists of their kinds: one write per list. */
export function patchLists(queryClient: QueryClient, batch: readonly KindDelta[]): void {
  const byKind = new Map<ListKind, ListDelta[]>();
  for (const { kind, delta } of batch) {
    const list = byKind.get(kind);
    if (list) list.push(delta);
    else byKind.set(kind, [delta]);
  }
  for (const [kind, deltas] of byKind) {
    // The kind's full list and every filtered list below its key (`serviceTasks`).
    for (const query of queryClient.getQueryCache().findAll({ queryKey: queryKeys.list(kind) })) {
      const filter = query.queryKey[2] as { serviceId?: string } | undefined;
      const own =
        filter?.serviceId === undefined
          ? deltas
          : deltas.filter((d) => (d.object as { serviceId?: string }).serviceId === filter.serviceId);
      if (own.length === 0) continue;
      queryClient.setQueryData<List>(query.queryKey, (list) =>
        list === undefined ? list : applyDeltas(list, own),
      );
    }
  }
}
