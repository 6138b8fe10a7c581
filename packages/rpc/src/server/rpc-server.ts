/**
 * The node-to-node gRPC server: one listening port (default 2377) for the CA, dispatcher, Raft and
 * control services, TLS with optional client certificates (tls/server-credentials.ts), and the
 * authorization interceptor in front of every call. Services are added by their owners (the CA
 * server and dispatcher in @shoal/manager, the Raft transport) before or after start().
 */
import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@shoal/raft";
import { authorizationInterceptor } from "../auth/authorization-interceptor.ts";
import { methodAccessTable } from "../auth/method-access.ts";
import { NodeServerCredentials } from "../tls/server-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";

/** Largest message the server accepts: a Raft batch may carry a snapshot. */
export const RPC_MESSAGE_BYTES_MAX_DEFAULT = 80 * 1024 * 1024;

export interface RpcServerOptions {
  /** "host:port"; port 0 picks a free one (see RpcServer.address). */
  readonly listen: string;
  readonly tls: TlsMaterialSource;
  readonly isRemoved: (nodeId: string) => boolean;
  readonly clusterId?: string;
  readonly logger: Logger;
  readonly messageBytesMax?: number;
}

export class RpcServer {
  readonly grpc: grpc.Server;
  private readonly credentials: NodeServerCredentials;
  private boundPort: number | undefined;
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: RpcServerOptions) {
    const messageBytesMax = options.messageBytesMax ?? RPC_MESSAGE_BYTES_MAX_DEFAULT;
    this.grpc = new grpc.Server({
      interceptors: [
        authorizationInterceptor({
          access: methodAccessTable(),
          tls: options.tls,
          isRemoved: options.isRemoved,
          logger: options.logger,
          ...(options.clusterId ? { clusterId: options.clusterId } : {}),
        }),
      ],
      "grpc.max_receive_message_length": messageBytesMax,
      "grpc.max_send_message_length": messageBytesMax,
      "grpc.keepalive_time_ms": 10_000,
      "grpc.keepalive_timeout_ms": 5_000,
    });
    this.credentials = new NodeServerCredentials(options.tls);
  }

  /** Binds the port. */
  async start(): Promise<void> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.grpc.bindAsync(this.options.listen, this.credentials, (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
    this.options.logger.info("rpc: listening", { address: this.address });
  }

  /** The bound "host:port" (after start resolves). */
  get address(): string {
    if (this.boundPort === undefined) throw new Error("rpc server is not listening");
    const host = this.options.listen.slice(0, this.options.listen.lastIndexOf(":"));
    return `${host}:${this.boundPort}`;
  }

  addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    this.grpc.addService(service, implementation);
  }

  /** Waits up to graceMs for calls to finish, then cuts the rest. Idempotent. */
  stop(graceMs = 1_000): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      this.credentials.detach();
      const timer = setTimeout(() => this.grpc.forceShutdown(), graceMs);
      this.grpc.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.stopped;
  }
}
