export { DEFAULT_MAX_FRAME_BYTES, encodeFrames, FRAME_HEADER_BYTES, FrameDecoder } from "./frame.ts";
export { type InMemoryHub, InMemoryTransport } from "./in-memory-transport.ts";
export { LocalNetwork } from "./local-network.ts";
export { type OutboundPeer, OutboundPeers } from "./outbound-peers.ts";
export { PeerSendQueue, type PeerSendQueueLimits } from "./peer-send-queue.ts";
export { ReconnectBackoff, type ReconnectBackoffLimits } from "./reconnect-backoff.ts";
export { ReconnectingPeer, type ReconnectingPeerOptions } from "./reconnecting-peer.ts";
export { parseAddress, type TcpPeerLimits } from "./tcp-peer.ts";
export {
  DEFAULT_TCP_PEER_LIMITS,
  listenTcpTransport,
  TcpTransport,
  type TcpTransportOptions,
} from "./tcp-transport.ts";
export type { MessageHandler, Transport, UnreachableHandler } from "./transport.ts";
