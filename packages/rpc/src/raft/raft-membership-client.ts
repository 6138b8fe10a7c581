/** Manager-to-manager membership calls (Join, Leave, ResolveAddress) with the node's certificate. */
import type * as grpc from "@grpc/grpc-js";
import type { CaCallOptions } from "../ca/ca-client.ts";
import { unaryCall } from "../client/call-helpers.ts";
import { shoalServices } from "../proto/load-protos.ts";
import { managerChannelOptions, mutualTlsChannelCredentials } from "../tls/channel-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";
import { JoinResponse, LeaveResponse, ResolveAddressResponse } from "./raft-schemas.ts";

export class RaftMembershipClient {
  private readonly client: grpc.Client;

  constructor(address: string, tls: TlsMaterialSource, options: { clusterId?: string } = {}) {
    this.client = new (shoalServices().raft)(
      address,
      mutualTlsChannelCredentials(tls, options),
      managerChannelOptions(),
    );
  }

  join(addr: string, options: CaCallOptions = {}): Promise<JoinResponse> {
    return unaryCall(this.client, "Join", { addr }, JoinResponse, options);
  }

  leave(raftId: number, options: CaCallOptions = {}): Promise<LeaveResponse> {
    return unaryCall(this.client, "Leave", { raft_id: raftId }, LeaveResponse, options);
  }

  resolveAddress(raftId: number, options: CaCallOptions = {}): Promise<ResolveAddressResponse> {
    return unaryCall(this.client, "ResolveAddress", { raft_id: raftId }, ResolveAddressResponse, options);
  }

  close(): void {
    this.client.close();
  }
}
