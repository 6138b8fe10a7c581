/** Wire shapes of the CA service (proto/ca.proto), checked at both ends. Field names as on the wire. */
import { CSR_PEM_CHARS_MAX, NodeRole } from "@shoal/ca";
import { z } from "zod";

/** Longest PEM bundle accepted for a certificate chain or a root CA bundle. */
export const CERT_PEM_CHARS_MAX = 64 * 1024;
/** Longest join token accepted (a real one is 87 characters). */
export const JOIN_TOKEN_CHARS_MAX = 256;

const role = z.enum([NodeRole.Manager, NodeRole.Worker]);
const certPem = z.string().min(1).max(CERT_PEM_CHARS_MAX);
const csrPem = z.string().min(1, "a CSR is required").max(CSR_PEM_CHARS_MAX);

export const GetRootCaCertificateResponse = z.object({ certificate_pem: certPem });
export type GetRootCaCertificateResponse = z.infer<typeof GetRootCaCertificateResponse>;

export const NodeHints = z.object({
  hostname: z.string().max(253).default(""),
  advertise_addr: z.string().max(300).default(""),
  availability: z.enum(["", "active", "pause", "drain"]).default(""),
});
export type NodeHints = z.infer<typeof NodeHints>;

export const IssueNodeCertificateRequest = z.object({
  csr_pem: csrPem,
  token: z.string().min(1, "a join token is required").max(JOIN_TOKEN_CHARS_MAX),
  hints: NodeHints.nullable().transform((h) => h ?? NodeHints.parse({})),
});
export type IssueNodeCertificateRequest = z.infer<typeof IssueNodeCertificateRequest>;

export const IssueNodeCertificateResponse = z.object({
  certificate_chain_pem: certPem,
  node_id: z.string().min(1).max(64),
  role,
  root_ca_pem: certPem,
});
export type IssueNodeCertificateResponse = z.infer<typeof IssueNodeCertificateResponse>;

export const NodeCertificateStatusRequest = z.object({});
export const NodeCertificateStatusResponse = z.object({
  state: z.enum(["issued", "pending", "failed"]),
  certificate_chain_pem: z.string().max(CERT_PEM_CHARS_MAX),
  role: z.union([role, z.literal("")]),
  message: z.string().max(4096),
});
export type NodeCertificateStatusResponse = z.infer<typeof NodeCertificateStatusResponse>;

export const RenewNodeCertificateRequest = z.object({ csr_pem: csrPem });
export type RenewNodeCertificateRequest = z.infer<typeof RenewNodeCertificateRequest>;

export const RenewNodeCertificateResponse = z.object({
  certificate_chain_pem: certPem,
  role,
  root_ca_pem: certPem,
});
export type RenewNodeCertificateResponse = z.infer<typeof RenewNodeCertificateResponse>;
