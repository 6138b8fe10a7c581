/**
 * Raft's Transport over gRPC and mutual TLS. Outbound: one GrpcRaftPeer (client stream) per peer.
 * Inbound: the Raft service's ProcessRaftMessage on the node's shared RpcServer, where the
 * authorization interceptor has already admitted only managers of this swarm. A batch that is
 * malformed or over the limits is dropped and logged; the stream and the node carry on.
 *
 * The membership calls (Join, Leave, ResolveAddress) are the manager's: pass `membership`
 * handlers, or they answer UNIMPLEMENTED.
 */
import * as grpc from "@grpc/grpc-js";
import type { Logger, Message, NodeId } from "@shoal/raft";
import {
  type MessageHandler,
  OutboundPeers,
  type Transport,
  type UnreachableHandler,
} from "@shoal/raft/transport";
import { readVerifiedPeer } from "../auth/verified-peer.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { adaptUnary, notServed, type UnaryHandler } from "../server/handler-adapters.ts";
import type { RpcServer } from "../server/rpc-server.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";
import { decodeInboundBatch } from "./inbound-batch.ts";
import { type GrpcRaftLimits, resolveGrpcRaftLimits } from "./raft-limits.ts";
import { GrpcRaftPeer } from "./raft-peer.ts";
import {
  JoinRequest,
  type JoinResponse,
  LeaveRequest,
  type LeaveResponse,
  ResolveAddressRequest,
  type ResolveAddressResponse,
} from "./raft-schemas.ts";

export interface RaftMembershipHandlers {
  resolveAddress: UnaryHandler<ResolveAddressRequest, ResolveAddressResponse>;
  join: UnaryHandler<JoinRequest, JoinResponse>;
  leave: UnaryHandler<LeaveRequest, LeaveResponse>;
}

export interface GrpcRaftTransportOptions {
  readonly id: NodeId;
  /** The node's shared server; the Raft service is added to it. */
  readonly server: RpcServer;
  readonly tls: TlsMaterialSource;
  readonly clusterId?: string;
  readonly logger: Logger;
  readonly limits?: Partial<GrpcRaftLimits>;
  readonly membership?: RaftMembershipHandlers;
}

/** Counters for tests and metrics. */
export interface GrpcRaftTransportStats {
  batchesReceived: number;
  batchesDropped: number;
  messagesReceived: number;
}

export class GrpcRaftTransport implements Transport {
  readonly id: NodeId;
  readonly limits: GrpcRaftLimits;
  readonly stats: GrpcRaftTransportStats = { batchesReceived: 0, batchesDropped: 0, messagesReceived: 0 };
  private readonly logger: Logger;
  private readonly peers: OutboundPeers<GrpcRaftPeer>;
  private readonly inbound = new Set<grpc.ServerReadableStream<unknown, unknown>>();
  private readonly credentials: grpc.ChannelCredentials;
  private handler: MessageHandler = () => {};
  private unreachable: UnreachableHandler = () => {};
  private closed = false;

  constructor(options: GrpcRaftTransportOptions) {
    this.id = options.id;
    this.logger = options.logger;
    this.limits = resolveGrpcRaftLimits(options.limits);
    this.peers = new OutboundPeers(this.id, this.logger, "raft transport");
    this.credentials = mutualTlsChannelCredentials(
      options.tls,
      options.clusterId ? { clusterId: options.clusterId } : {},
    );
    const membership = options.membership;
    options.server.addService(shoalServices().raft.service, {
      ProcessRaftMessage: (
        call: grpc.ServerReadableStream<unknown, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => this.handleInboundStream(call, callback),
      ResolveAddress: membership
        ? adaptUnary("ResolveAddress", ResolveAddressRequest, membership.resolveAddress)
        : notServed("ResolveAddress"),
      Join: membership ? adaptUnary("Join", JoinRequest, membership.join) : notServed("Join"),
      Leave: membership ? adaptUnary("Leave", LeaveRequest, membership.leave) : notServed("Leave"),
    });
  }

  send(messages: readonly Message[]): void {
    this.peers.send(messages);
  }

  addPeer(id: NodeId, address: string): void {
    if (this.closed) return;
    this.peers.add(
      id,
      address,
      () =>
        new GrpcRaftPeer(
          id,
          address,
          (addr) => this.newClient(addr),
          this.limits,
          this.logger,
          (p) => this.unreachable(p),
        ),
    );
  }

  removePeer(id: NodeId): void {
    this.peers.remove(id);
  }

  updatePeer(id: NodeId, address: string): void {
    this.addPeer(id, address);
  }

  /** The address a peer is dialled at, for ResolveAddress handlers and tests. */
  peerAddress(id: NodeId): string | undefined {
    return this.peers.get(id)?.currentAddress;
  }

  onMessage(handler: MessageHandler): void {
    this.handler = handler;
  }

  onUnreachable(handler: UnreachableHandler): void {
    this.unreachable = handler;
  }

  /** Closes every outbound stream and ends inbound ones; the shared server stays up. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.peers.closeAll();
    for (const call of this.inbound) call.destroy(new Error("raft transport closed"));
    this.inbound.clear();
  }

  private newClient(address: string): grpc.Client {
    const channelOptions = managerChannelOptions({
      "grpc.max_send_message_length": this.limits.batchBytesMax + this.limits.messageBytesMax,
      "grpc.use_local_subchannel_pool": 1,
      "grpc.initial_reconnect_backoff_ms": this.limits.reconnectDelayMinMs,
      "grpc.max_reconnect_backoff_ms": this.limits.reconnectDelayMaxMs,
      "grpc.keepalive_time_ms": 10_000,
      "grpc.keepalive_timeout_ms": 5_000,
    });
    return new (shoalServices().raft)(address, this.credentials, channelOptions);
  }

  private handleInboundStream(
    call: grpc.ServerReadableStream<unknown, unknown>,
    callback: grpc.sendUnaryData<unknown>,
  ): void {
    if (this.closed) {
      callback({ code: grpc.status.UNAVAILABLE, details: "raft transport is closed" });
      return;
    }
    this.inbound.add(call);
    const from = readVerifiedPeer(call.metadata)?.nodeId ?? call.getPeer();
    call.on("data", (batch: unknown) => this.handleInboundBatch(batch, from));
    call.on("error", (err) =>
      this.logger.debug("raft transport: inbound stream error", { from, error: err.message }),
    );
    call.once("end", () => {
      this.inbound.delete(call);
      callback(null, {});
    });
    call.once("close", () => this.inbound.delete(call));
  }

  private handleInboundBatch(batch: unknown, from: string): void {
    this.stats.batchesReceived++;
    const decoded = decodeInboundBatch(batch, this.id, this.limits);
    if (!decoded.ok) {
      this.stats.batchesDropped++;
      this.logger.warn("raft transport: dropping a bad batch from a peer", { from, reason: decoded.reason });
      return;
    }
    this.stats.messagesReceived += decoded.messages.length;
    for (const m of decoded.messages) {
      try {
        this.handler(m);
      } catch (err) {
        this.logger.error("raft transport: message handler threw", { from, error: String(err) });
      }
    }
  }
}
