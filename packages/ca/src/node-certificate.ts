import { readCsrPublicKey } from "./csr.ts";
import { CaError } from "./errors.ts";
import { importSigningKey } from "./keys.ts";
import { CA_DNS_NAME, isValidId, NodeRole } from "./node-role.ts";
import { normalizeCertificatePem, parseSingleCertificate } from "./pem.ts";
import { CLOCK_SKEW_BACKDATE_MS } from "./root-ca.ts";
import { x509 } from "./x509.ts";

const HOUR_MS = 60 * 60 * 1000;
/** Node certificate lifetime unless the cluster configures another (swarm: 90 days). */
export const NODE_CERT_VALIDITY_MS_DEFAULT = 90 * 24 * HOUR_MS;
/** Shortest configurable node certificate lifetime (swarm's MinNodeCertExpiration). */
export const NODE_CERT_VALIDITY_MS_MIN = HOUR_MS;
/** Longest configurable node certificate lifetime. */
export const NODE_CERT_VALIDITY_MS_MAX = 10 * 365 * 24 * HOUR_MS;

/**
 * The CA material that signs node certificates: a root with its key, or during a root rotation
 * the new root's key plus the cross-signed intermediate, which is appended to every issued
 * certificate so that nodes trusting only the old root still accept it.
 */
export interface SigningCa {
  readonly certPem: string;
  readonly keyPem: string;
  /** Certificates to send after the leaf (PEM bundle); empty outside a rotation. */
  readonly intermediatesPem?: string;
}

export interface IssueNodeCertificateInput {
  readonly ca: SigningCa;
  /** PKCS#10 from the node; only its public key is used. */
  readonly csrPem: string;
  /** Decided by the manager, never taken from the CSR. */
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly clusterId: string;
  readonly validityMs?: number;
  readonly now?: Date;
}

export interface IssuedCertificate {
  /** The leaf followed by the CA's intermediates: what the node presents in TLS. */
  readonly certChainPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** DNS names a node certificate carries: its role, its node ID, and `swarm-ca` for managers. */
export function nodeCertificateDnsNames(nodeId: string, role: NodeRole): string[] {
  const names = [role, nodeId];
  if (role === NodeRole.Manager) names.push(CA_DNS_NAME);
  return names;
}

/**
 * Issues a node certificate for the public key in `csrPem`: CN = node ID, OU = role, O = cluster
 * ID, usable as TLS client and server, valid from 5 minutes ago for `validityMs` (never past the
 * signing CA's own expiry).
 */
export async function issueNodeCertificate(input: IssueNodeCertificateInput): Promise<IssuedCertificate> {
  const validityMs = input.validityMs ?? NODE_CERT_VALIDITY_MS_DEFAULT;
  checkIssueRequest(input, validityMs);
  const publicKey = await readCsrPublicKey(input.csrPem);
  const caCert = parseSingleCertificate(input.ca.certPem, "INVALID_ROOT_CA", "signing CA certificate");
  const caParsed = new x509.X509Certificate(caCert.raw);
  const signer = await importSigningKey(input.ca.keyPem, "INVALID_ROOT_CA", "signing CA key");

  const nowMs = (input.now ?? new Date()).getTime();
  const notBefore = new Date(nowMs - CLOCK_SKEW_BACKDATE_MS);
  const notAfter = new Date(Math.min(nowMs + validityMs, caParsed.notAfter.getTime()));
  if (notAfter.getTime() <= nowMs) {
    throw new CaError("INVALID_ROOT_CA", "signing CA certificate has expired; rotate the root CA");
  }
  const subject = new x509.Name([{ CN: [input.nodeId] }, { OU: [input.role] }, { O: [input.clusterId] }]);
  const dnsNames = nodeCertificateDnsNames(input.nodeId, input.role).map((value) => ({
    type: "dns" as const,
    value,
  }));
  const leaf = await x509.X509CertificateGenerator.create({
    subject,
    issuer: caParsed.subjectName,
    notBefore,
    notAfter,
    publicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(dnsNames),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      ...authorityKeyIdentifier(caParsed),
    ],
  });
  const certChainPem = normalizeCertificatePem(leaf.toString("pem") + (input.ca.intermediatesPem ?? ""));
  return { certChainPem, notBefore, notAfter };
}

/** AKI = the CA's own SKI, copied (not recomputed) so chains build even for operator CAs. */
export function authorityKeyIdentifier(ca: x509.X509Certificate): x509.Extension[] {
  const keyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return keyId === undefined ? [] : [new x509.AuthorityKeyIdentifierExtension(keyId)];
}

function checkIssueRequest(input: IssueNodeCertificateInput, validityMs: number): void {
  if (!isValidId(input.nodeId)) {
    throw new CaError(
      "INVALID_ISSUE_REQUEST",
      `node ID ${JSON.stringify(input.nodeId)} is not a lowercase DNS label`,
    );
  }
  if (!isValidId(input.clusterId)) {
    throw new CaError(
      "INVALID_ISSUE_REQUEST",
      `cluster ID ${JSON.stringify(input.clusterId)} is not a lowercase DNS label`,
    );
  }
  if (input.role !== NodeRole.Manager && input.role !== NodeRole.Worker) {
    throw new CaError(
      "INVALID_ISSUE_REQUEST",
      `role ${JSON.stringify(input.role)} is not swarm-manager or swarm-worker`,
    );
  }
  if (
    !Number.isInteger(validityMs) ||
    validityMs < NODE_CERT_VALIDITY_MS_MIN ||
    validityMs > NODE_CERT_VALIDITY_MS_MAX
  ) {
    throw new CaError(
      "INVALID_ISSUE_REQUEST",
      `node certificate validity ${validityMs} ms is outside [${NODE_CERT_VALIDITY_MS_MIN}, ${NODE_CERT_VALIDITY_MS_MAX}] ms`,
    );
  }
}
