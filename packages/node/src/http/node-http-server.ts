/**
 * The node's HTTP server on `apiAddr`: the tRPC API at /api/trpc, live updates over socket.io at
 * /socket.io, `GET /healthz`, and everything else to the UI handler (the Next.js dashboard) when
 * one is given. The API answers on every node; everything beyond `swarm.status`/`init`/`join`
 * needs the manager component, which it reaches through the node as the role comes and goes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ApiContext,
  type ApiServices,
  appRouter,
  attachLiveUpdates,
  createApiServices,
  createRequestContext,
  type LiveUpdates,
} from "@shoal/api";
import { type HistoryDatabase, openHistoryDatabase, PrismaHistoryReader } from "@shoal/api/history";
import { systemClock } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { Server as SocketServer } from "socket.io";
import type { ShoalNode } from "../shoal-node.ts";
import { HistoryFeed } from "./history-feed.ts";
import { managerStoreProxy } from "./manager-store.ts";
import { nodeBootstrap } from "./node-bootstrap.ts";
import { nodeControl } from "./node-control.ts";
import { nodeLogs } from "./node-logs.ts";

export type UiHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface NodeHttpOptions {
  /** Serves every path the API does not (the dashboard). Without it those paths answer 404. */
  readonly uiHandler?: UiHandler;
  /** The history database (PostgreSQL URL); default SQLite in the data directory. */
  readonly databaseUrl?: string;
  /** bcrypt cost of new password hashes (tests lower it). */
  readonly bcryptCost?: number;
}

export const API_BASE_PATH = "/api/trpc";
export const SOCKET_IO_PATH = "/socket.io";

export class NodeHttpServer {
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly io: SocketServer,
    private readonly live: LiveUpdates,
    private readonly feed: HistoryFeed,
    private readonly db: HistoryDatabase,
    readonly services: ApiServices,
  ) {}

  /** Opens the history database and listens on `apiAddr` ("host:port"; port 0 picks one). */
  static async start(
    node: ShoalNode,
    apiAddr: string,
    options: NodeHttpOptions & { dataDir: string; logger: Logger },
  ): Promise<NodeHttpServer> {
    const { logger } = options;
    const db = await openHistoryDatabase({
      dataDir: options.dataDir,
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    });
    let services: ApiServices | undefined;
    const api: ApiContext = {
      control: nodeControl(node),
      store: managerStoreProxy(node),
      history: new PrismaHistoryReader(db.prisma),
      clock: systemClock,
      node: nodeBootstrap(node, () => services?.authenticator.needsSetup() ?? false),
      logs: nodeLogs(node),
    };
    services = createApiServices(api, options.bcryptCost ? { bcryptCost: options.bcryptCost } : {});
    const feed = new HistoryFeed(node, db.prisma, logger);
    feed.start();
    const trpc = trpcHandler(services, logger, () => feed.maybeSwitch());
    const server = createServer((req, res) => route(req, res, node, trpc, options.uiHandler));
    const io = new SocketServer(server, { path: SOCKET_IO_PATH, serveClient: false, destroyUpgrade: false });
    const live = attachLiveUpdates(io, api.store, services.authenticator);
    await listen(server, apiAddr);
    logger.info("HTTP API listening", { addr: addressOf(server), ui: options.uiHandler !== undefined });
    return new NodeHttpServer(server, io, live, feed, db, services);
  }

  /** "host:port" the server listens on. */
  get address(): string {
    return addressOf(this.server);
  }

  /** Stops live updates, the server, the history feed and the database. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.live.close();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.io.close(() => resolve()));
      await this.feed.stop();
      await this.db.close();
    })();
    return this.closing;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

function trpcHandler(services: ApiServices, logger: Logger, beforeEach: () => void): Handler {
  return createHTTPHandler({
    router: appRouter,
    basePath: `${API_BASE_PATH}/`,
    createContext: ({ req, res }) => {
      beforeEach();
      return createRequestContext(services, {
        credentials: { authorization: req.headers.authorization, cookie: req.headers.cookie },
        ip: req.socket.remoteAddress ?? "",
        secure: false,
        setCookie: (header) => res.appendHeader("Set-Cookie", header),
        onInternalError: (error) => logger.error("API internal error", { error: String(error) }),
      });
    },
  });
}

function route(req: IncomingMessage, res: ServerResponse, node: ShoalNode, trpc: Handler, ui?: UiHandler) {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path === API_BASE_PATH || path.startsWith(`${API_BASE_PATH}/`)) return trpc(req, res);
  if (path === "/healthz") return health(res, node);
  if (ui) return ui(req, res);
  res
    .writeHead(404, { "content-type": "text/plain" })
    .end("not found: this node serves /api/trpc and /socket.io\n");
}

function health(res: ServerResponse, node: ShoalNode): void {
  const info = node.info();
  const body = {
    status: "ok",
    swarm: info.swarm,
    role: info.role,
    manager: node.manager !== undefined,
    isLeader: info.isLeader,
    engineAvailable: info.engineAvailable,
  };
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function listen(server: Server, addr: string): Promise<void> {
  const colon = addr.lastIndexOf(":");
  const host = addr.slice(0, colon).replace(/^\[|\]$/g, "");
  const port = Number(addr.slice(colon + 1));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function addressOf(server: Server): string {
  const a = server.address() as AddressInfo | null;
  if (a === null) return "";
  return a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}
