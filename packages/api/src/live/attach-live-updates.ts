import type { Change, ChangeBatch, Store } from "@shoal/store";
import { StoreError } from "@shoal/store";
import type { Server, Socket } from "socket.io";
import { ApiError } from "../api-error.ts";
import type { Authenticator, Credentials } from "../auth/authenticator.ts";
import type { Principal } from "../auth/principal.ts";
import { parseActor } from "../control/actor.ts";
import {
  type ClientToServerEvents,
  LIVE_KINDS,
  type LiveKind,
  type ServerToClientEvents,
  type SubscribeRequest,
  type SubscribeResult,
} from "./live-events.ts";
import { authorizeRoom, roomsOf } from "./room-access.ts";

/** Named limit: rooms one socket may be in. */
export const LIVE_ROOMS_PER_SOCKET_MAX = 256;
/**
 * Named limit: packets waiting in a socket's write buffer before its stream pauses. A paused
 * stream's cursor stays behind in the store's history; if it falls off, the client gets a resync.
 */
export const LIVE_BUFFERED_PACKETS_MAX = 1_024;

interface SocketData {
  credentials: Credentials;
  principal: Principal;
  stream?: AbortController;
  /** The version of the last batch this socket's stream has passed (what the client has). */
  deliveredVersion: number;
}
type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface LiveUpdates {
  /** Stops every stream (sockets stay connected; close the io server separately). */
  close(): void;
}

/**
 * Streams store changes to sockets as typed deltas. A socket authenticates at the handshake
 * (session cookie, `Authorization: Bearer`, or `auth: { token }`), joins rooms it is allowed in
 * (`subscribe`), and gets every change after `fromVersion` for its rooms, read from the store's
 * watch history — or a `resync` notice when that history no longer reaches back. Each socket is
 * a cursor into the store's bounded history, so a reconnect resumes exactly where it left off.
 */
export function attachLiveUpdates(io: Server, store: Store, auth: Authenticator): LiveUpdates {
  const server = io as unknown as LiveServer;
  const streams = new Set<AbortController>();
  server.use((socket, next) => {
    const headers = socket.handshake.headers;
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const credentials: Credentials = {
      authorization: typeof token === "string" ? `Bearer ${token}` : headers.authorization,
      cookie: headers.cookie,
    };
    try {
      if (auth.needsSetup())
        throw new ApiError("setup-required", "this cluster has no users yet: run auth.setup");
      const principal = auth.authenticate(credentials);
      if (principal === undefined) throw new ApiError("unauthenticated", "log in or send an API token first");
      socket.data.credentials = credentials;
      socket.data.principal = principal;
      next();
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError("internal", "authentication failed");
      next(Object.assign(new Error(e.message), { data: { code: e.code } }));
    }
  });
  server.on("connection", (socket) => {
    socket.on("subscribe", (request, ack) => {
      const result = subscribe(socket, store, auth, request, streams);
      if (typeof ack === "function") ack(result);
    });
    socket.on("unsubscribe", (request, ack) => {
      for (const room of request?.rooms ?? []) void socket.leave(room);
      if (typeof ack === "function") ack({ rooms: joinedRooms(socket) });
    });
    socket.on("disconnect", () => stopStream(socket, streams));
  });
  return {
    close() {
      for (const stream of streams) stream.abort();
      streams.clear();
    },
  };
}

function subscribe(
  socket: LiveSocket,
  store: Store,
  auth: Authenticator,
  request: SubscribeRequest,
  streams: Set<AbortController>,
): SubscribeResult {
  const version = store.version;
  let principal: Principal | undefined;
  try {
    principal = auth.authenticate(socket.data.credentials);
  } catch (error) {
    return { ok: false, code: "unauthenticated", message: (error as Error).message, version };
  }
  const rooms = Array.isArray(request?.rooms) ? request.rooms.filter((r) => typeof r === "string") : [];
  if (joinedRooms(socket).length + rooms.length > LIVE_ROOMS_PER_SOCKET_MAX) {
    return {
      ok: false,
      code: "invalid-argument",
      message: `at most ${LIVE_ROOMS_PER_SOCKET_MAX} rooms per connection`,
      version,
    };
  }
  for (const room of rooms) {
    const decision = authorizeRoom(principal, room);
    if (!decision.ok) return { ...decision, version };
  }
  // Without a version, a socket that already streams continues from what it has; a new one starts now.
  const current = socket.data.stream === undefined ? version : socket.data.deliveredVersion;
  const fromVersion = typeof request.fromVersion === "number" ? request.fromVersion : current;
  let changes: AsyncIterable<ChangeBatch>;
  const stream = new AbortController();
  try {
    changes = store.watch({ fromVersion, kinds: LIVE_KINDS, signal: stream.signal });
  } catch (error) {
    if (error instanceof StoreError && error.code === "resync-required") {
      return { ok: false, code: "resync-required", message: error.message, version };
    }
    throw error;
  }
  for (const room of rooms) void socket.join(room);
  stopStream(socket, streams);
  socket.data.stream = stream;
  socket.data.deliveredVersion = fromVersion;
  streams.add(stream);
  void pump(socket, store, auth, changes, stream.signal);
  return { ok: true, version, rooms: joinedRooms(socket) };
}

async function pump(
  socket: LiveSocket,
  store: Store,
  auth: Authenticator,
  changes: AsyncIterable<ChangeBatch>,
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const batch of changes) {
      if (signal.aborted) return;
      // Credentials are checked again for every batch: a revoked token stops its stream at once.
      auth.authenticate(socket.data.credentials);
      for (const change of batch.changes) send(socket, batch, change);
      socket.data.deliveredVersion = batch.version;
      await drained(socket, signal);
    }
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof StoreError && error.code === "resync-required") {
      socket.emit("resync", { reason: error.message, version: store.version });
      return;
    }
    const message = error instanceof ApiError ? error.message : "the live stream failed: reconnect";
    socket.emit("denied", { code: error instanceof ApiError ? error.code : "internal", message });
    socket.disconnect(true);
  }
}

function send(socket: LiveSocket, batch: ChangeBatch, change: Change): void {
  const kind = change.kind as LiveKind;
  if (!(LIVE_KINDS as readonly string[]).includes(kind)) return;
  const id = change.object.id;
  const [kindRoom, objectRoom] = roomsOf(kind, id);
  const { version, timeMs } = batch;
  if (socket.rooms.has(kindRoom) || socket.rooms.has(objectRoom)) {
    const delta = { version, timeMs, action: change.action, id, object: change.object };
    if (kind === "node")
      socket.emit("node.updated", delta as Parameters<ServerToClientEvents["node.updated"]>[0]);
    else if (kind === "service")
      socket.emit("service.updated", delta as Parameters<ServerToClientEvents["service.updated"]>[0]);
    else socket.emit("task.updated", delta as Parameters<ServerToClientEvents["task.updated"]>[0]);
  }
  if (socket.rooms.has("events")) {
    const actor = batch.actor === undefined ? undefined : parseActor(batch.actor).who;
    socket.emit("event", {
      version,
      timeMs,
      kind,
      action: change.action,
      id,
      name: nameOf(change),
      ...(actor === undefined ? {} : { actor }),
    });
  }
}

function nameOf(change: Change): string {
  if (change.kind === "node") return change.object.description?.hostname ?? change.object.id;
  if (change.kind === "task")
    return `${change.object.serviceId}.${change.object.slot || change.object.nodeId}`;
  if (change.kind === "service") return change.object.spec.name;
  return change.object.id;
}

/** Waits while the socket's write buffer is over LIVE_BUFFERED_PACKETS_MAX (a slow client). */
async function drained(socket: LiveSocket, signal: AbortSignal): Promise<void> {
  const conn = socket.conn as unknown as {
    writeBuffer?: unknown[];
    once(event: string, fn: () => void): void;
  };
  while ((conn.writeBuffer?.length ?? 0) > LIVE_BUFFERED_PACKETS_MAX && !signal.aborted && socket.connected) {
    await new Promise<void>((resolve) => {
      conn.once("drain", resolve);
      conn.once("close", resolve);
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
  }
}

function joinedRooms(socket: LiveSocket): string[] {
  return [...socket.rooms].filter((r) => r !== socket.id);
}

function stopStream(socket: LiveSocket, streams: Set<AbortController>): void {
  const stream = socket.data.stream;
  if (stream === undefined) return;
  stream.abort();
  streams.delete(stream);
  socket.data.stream = undefined;
}
