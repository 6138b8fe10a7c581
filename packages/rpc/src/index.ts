export {
  type Authorization,
  authorizationInterceptor,
  authorizeCall,
} from "./auth/authorization-interceptor.ts";
export { type MethodAccess, methodAccessTable } from "./auth/method-access.ts";
export {
  RELAYED_CALLER_METADATA_KEY,
  type RelayedCaller,
  readRelayedCaller,
  relayedCallerMetadata,
} from "./auth/relayed-caller.ts";
export {
  readVerifiedPeer,
  readVerifiedRemote,
  requireVerifiedPeer,
  VERIFIED_PEER_METADATA_KEY,
  VERIFIED_REMOTE_METADATA_KEY,
} from "./auth/verified-peer.ts";
export { type CaCallOptions, CaClient, fetchRootCaForJoin, requestNodeCertificate } from "./ca/ca-client.ts";
export * from "./ca/ca-schemas.ts";
export { addCaService, type CaHandlers } from "./ca/ca-service.ts";
export { parseResponse, serverStream, UNARY_DEADLINE_MS_DEFAULT, unaryCall } from "./client/call-helpers.ts";
export { type ClientStreamCall, clientStream } from "./client/client-stream.ts";
export {
  addControlService,
  CONTROL_JSON_CHARS_MAX,
  ControlForwardingClient,
  type ForwardHandler,
  ForwardRequest,
  type ForwardResult,
  type LogsHandler,
} from "./control/control-forwarding.ts";
export { DispatcherClient } from "./dispatcher/dispatcher-client.ts";
export { DispatcherRelay, type DispatcherRelayOptions } from "./dispatcher/dispatcher-relay.ts";
export * from "./dispatcher/dispatcher-schemas.ts";
export { addDispatcherService, type DispatcherHandlers } from "./dispatcher/dispatcher-service.ts";
export { fromServiceError, RpcError, type RpcErrorCode, toRpcError, toServiceError } from "./errors.ts";
export * from "./logs/log-schemas.ts";
export { methodPath, PROTO_DIR, shoalServices } from "./proto/load-protos.ts";
export {
  GrpcRaftTransport,
  type GrpcRaftTransportOptions,
  type GrpcRaftTransportStats,
  type RaftMembershipHandlers,
} from "./raft/grpc-raft-transport.ts";
export { decodeInboundBatch, type InboundBatch } from "./raft/inbound-batch.ts";
export { GRPC_RAFT_LIMITS_DEFAULT, type GrpcRaftLimits, resolveGrpcRaftLimits } from "./raft/raft-limits.ts";
export { RaftMembershipClient } from "./raft/raft-membership-client.ts";
export * from "./raft/raft-schemas.ts";
export { adaptClientStream, type ClientStreamHandler } from "./server/client-stream-adapter.ts";
export {
  adaptServerStream,
  adaptUnary,
  type CallContext,
  type ServerStreamHandler,
  type UnaryHandler,
} from "./server/handler-adapters.ts";
export { asNodeContext, type NodeCallContext } from "./server/node-call-context.ts";
export { RPC_MESSAGE_BYTES_MAX_DEFAULT, RpcServer, type RpcServerOptions } from "./server/rpc-server.ts";
export {
  MANAGER_SERVER_NAME,
  managerChannelOptions,
  mutualTlsChannelCredentials,
  unverifiedChannelCredentials,
  verifiedChannelCredentials,
} from "./tls/channel-credentials.ts";
export { NodeServerCredentials } from "./tls/server-credentials.ts";
export { checkTlsMaterial, type TlsMaterial, TlsMaterialSource } from "./tls/tls-material.ts";
