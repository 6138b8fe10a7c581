/**
 * Server side of the CA service: the manager supplies the four handlers (checking tokens with
 * matchJoinToken, issuing with issueNodeCertificate); this adapts them to gRPC. The authorization
 * interceptor has already run: the two join calls are open to anyone, the other two arrive with a
 * verified peer (context.peer), which is the identity to renew — never a field of the request.
 */
import { z } from "zod";
import { methodPath, shoalServices } from "../proto/load-protos.ts";
import { adaptUnary, type CallContext } from "../server/handler-adapters.ts";
import { asNodeContext, type NodeCallContext } from "../server/node-call-context.ts";
import type { RpcServer } from "../server/rpc-server.ts";
import {
  type GetRootCaCertificateResponse,
  IssueNodeCertificateRequest,
  type IssueNodeCertificateResponse,
  NodeCertificateStatusRequest,
  type NodeCertificateStatusResponse,
  RenewNodeCertificateRequest,
  type RenewNodeCertificateResponse,
} from "./ca-schemas.ts";

export interface CaHandlers {
  /** Must return the stored root PEM byte for byte: the join-token digest covers those bytes. */
  getRootCaCertificate(context: CallContext): Promise<GetRootCaCertificateResponse>;
  /** Throw CaError("INVALID_JOIN_TOKEN") or RpcError("PERMISSION_DENIED") for a wrong token. */
  issueNodeCertificate(
    request: IssueNodeCertificateRequest,
    context: CallContext,
  ): Promise<IssueNodeCertificateResponse>;
  nodeCertificateStatus(context: NodeCallContext): Promise<NodeCertificateStatusResponse>;
  renewNodeCertificate(
    request: RenewNodeCertificateRequest,
    context: NodeCallContext,
  ): Promise<RenewNodeCertificateResponse>;
}

export function addCaService(server: RpcServer, handlers: CaHandlers): void {
  const { ca } = shoalServices();
  server.addService(ca.service, {
    GetRootCACertificate: adaptUnary("GetRootCACertificate", z.object({}), (_request, context) =>
      handlers.getRootCaCertificate(context),
    ),
    IssueNodeCertificate: adaptUnary(
      "IssueNodeCertificate",
      IssueNodeCertificateRequest,
      (request, context) => handlers.issueNodeCertificate(request, context),
    ),
    NodeCertificateStatus: adaptUnary(
      "NodeCertificateStatus",
      NodeCertificateStatusRequest,
      (_request, context) =>
        handlers.nodeCertificateStatus(asNodeContext(context, methodPath(ca, "NodeCertificateStatus"))),
    ),
    RenewNodeCertificate: adaptUnary(
      "RenewNodeCertificate",
      RenewNodeCertificateRequest,
      (request, context) =>
        handlers.renewNodeCertificate(
          request,
          asNodeContext(context, methodPath(ca, "RenewNodeCertificate")),
        ),
    ),
  });
}
