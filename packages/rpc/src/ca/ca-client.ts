/**
 * Client side of the CA service, in the order a node uses it:
 * 1. fetchRootCaForJoin: unverified TLS, then the PEM is checked against the join token's digest
 *    (checkRemoteRootCa) — a manager of another swarm, or an impostor, is refused with CA_MISMATCH;
 * 2. requestNodeCertificate: TLS verified against that pinned root, no client certificate, token
 *    in the request;
 * 3. later, with the node's own certificate (mutual TLS): renewNodeCertificate and
 *    nodeCertificateStatus.
 */
import type * as grpc from "@grpc/grpc-js";
import { checkRemoteRootCa } from "@shoal/ca";
import { unaryCall } from "../client/call-helpers.ts";
import { shoalServices } from "../proto/load-protos.ts";
import {
  managerChannelOptions,
  mutualTlsChannelCredentials,
  unverifiedChannelCredentials,
  verifiedChannelCredentials,
} from "../tls/channel-credentials.ts";
import type { TlsMaterialSource } from "../tls/tls-material.ts";
import {
  GetRootCaCertificateResponse,
  IssueNodeCertificateResponse,
  NodeCertificateStatusResponse,
  type NodeHints,
  RenewNodeCertificateResponse,
} from "./ca-schemas.ts";

export interface CaCallOptions {
  readonly deadlineMs?: number;
}

/** Step 1 of joining: the remote's root CA, accepted only if it matches the token. */
export async function fetchRootCaForJoin(address: string, joinToken: string, options: CaCallOptions = {}) {
  const client = new (shoalServices().ca)(address, unverifiedChannelCredentials(), managerChannelOptions());
  try {
    const response = await unaryCall(
      client,
      "GetRootCACertificate",
      {},
      GetRootCaCertificateResponse,
      options,
    );
    return checkRemoteRootCa(joinToken, response.certificate_pem);
  } finally {
    client.close();
  }
}

/** Step 2 of joining: a certificate for our CSR, over TLS verified against the pinned root. */
export async function requestNodeCertificate(
  address: string,
  input: { rootCaPem: string; csrPem: string; joinToken: string; hints?: Partial<NodeHints> },
  options: CaCallOptions = {},
): Promise<IssueNodeCertificateResponse> {
  const client = new (shoalServices().ca)(
    address,
    verifiedChannelCredentials(input.rootCaPem),
    managerChannelOptions(),
  );
  try {
    const hints = { hostname: "", advertise_addr: "", availability: "", ...input.hints };
    const request = { csr_pem: input.csrPem, token: input.joinToken, hints };
    return await unaryCall(client, "IssueNodeCertificate", request, IssueNodeCertificateResponse, options);
  } finally {
    client.close();
  }
}

/** CA calls made with the node's own certificate. Close it when done. */
export class CaClient {
  private readonly client: grpc.Client;

  constructor(address: string, tls: TlsMaterialSource, options: { clusterId?: string } = {}) {
    this.client = new (shoalServices().ca)(
      address,
      mutualTlsChannelCredentials(tls, options),
      managerChannelOptions(),
    );
  }

  renewNodeCertificate(csrPem: string, options: CaCallOptions = {}): Promise<RenewNodeCertificateResponse> {
    return unaryCall(
      this.client,
      "RenewNodeCertificate",
      { csr_pem: csrPem },
      RenewNodeCertificateResponse,
      options,
    );
  }

  nodeCertificateStatus(options: CaCallOptions = {}): Promise<NodeCertificateStatusResponse> {
    return unaryCall(this.client, "NodeCertificateStatus", {}, NodeCertificateStatusResponse, options);
  }

  close(): void {
    this.client.close();
  }
}
