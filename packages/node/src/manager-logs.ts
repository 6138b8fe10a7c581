/**
 * Log subscriptions on a manager. The leader's dispatcher owns the log broker, so on the leader a
 * subscription goes straight to it; a follower subscribes at the leader over the control
 * service's SubscribeLogs stream (managers only, mutual TLS) and relays the batches. A plain
 * stream rather than the unary control forwarding: logs are long-lived and flow-controlled.
 */
import {
  type DispatcherEndpoint,
  type LogRequest,
  type LogStream,
  logRequestToWire,
  logsFromWire,
} from "@shoal/manager";
import { ControlForwardingClient, RpcError, type TlsMaterialSource } from "@shoal/rpc";

export interface ManagerLogsDeps {
  readonly endpoint: DispatcherEndpoint;
  readonly tls: TlsMaterialSource;
  readonly clusterId: string;
  /** The leader's node-to-node address while another manager leads. */
  readonly leaderAddr: () => string | undefined;
}

export class ManagerLogs {
  private client: { readonly addr: string; readonly client: ControlForwardingClient } | undefined;

  constructor(private readonly deps: ManagerLogsDeps) {}

  /** The subscription's batches; rejects with RpcError UNAVAILABLE when no leader is known. */
  subscribe(request: LogRequest, signal: AbortSignal): LogStream {
    const broker = this.deps.endpoint.current?.logs;
    if (broker) return broker.subscribe(request, signal);
    const addr = this.deps.leaderAddr();
    if (!addr)
      throw new RpcError("UNAVAILABLE", "no leader is known right now (an election?): try again shortly");
    return logsFromWire(this.clientFor(addr).subscribeLogs(logRequestToWire(request), { signal }));
  }

  close(): void {
    this.client?.client.close();
    this.client = undefined;
  }

  private clientFor(addr: string): ControlForwardingClient {
    if (this.client?.addr !== addr) {
      this.client?.client.close();
      const client = new ControlForwardingClient(addr, this.deps.tls, { clusterId: this.deps.clusterId });
      this.client = { addr, client };
    }
    return this.client.client;
  }
}
