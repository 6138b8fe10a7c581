import type { webcrypto, X509Certificate } from "node:crypto";
import { CaError } from "./errors.ts";
import { assertKeyMatchesCertificate, generateKeyPair, keyKind } from "./keys.ts";
import { normalizeCertificatePem, parseSingleCertificate } from "./pem.ts";
import { x509 } from "./x509.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Root CA lifetime: 20 years of 365 days, as swarm's RootCAExpiration (630720000 s). */
export const ROOT_CA_VALIDITY_MS = 20 * 365 * DAY_MS;
/** Certificates start this far in the past, so a peer whose clock lags a little accepts them. */
export const CLOCK_SKEW_BACKDATE_MS = 5 * 60 * 1000;
/** Subject of every root Shoal generates (swarm's rootCN). */
export const ROOT_CA_SUBJECT = "CN=swarm-ca";

/**
 * A root CA with its signing key. `certPem` is normalised PEM: its exact bytes are what the
 * join-token digest covers and what managers serve to joining nodes.
 */
export interface RootCa {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Usages every CA certificate this package makes carries. */
export const CA_KEY_USAGES =
  x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature;

/** Generates a new self-signed ECDSA P-256 root CA valid for 20 years (swarm init). */
export async function createRootCa(options: { now?: Date } = {}): Promise<RootCa> {
  const nowMs = (options.now ?? new Date()).getTime();
  const { keys, keyPem } = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    subject: ROOT_CA_SUBJECT,
    issuer: ROOT_CA_SUBJECT,
    notBefore: new Date(nowMs - CLOCK_SKEW_BACKDATE_MS),
    notAfter: new Date(nowMs + ROOT_CA_VALIDITY_MS),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as webcrypto.EcdsaParams,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGES, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: normalizeCertificatePem(cert.toString("pem")), keyPem };
}

/**
 * Validates an operator-supplied root CA (`swarm init --external-ca`-style material, or a CA read
 * back from disk) and returns it with normalised PEM. Refuses, with INVALID_ROOT_CA or
 * KEY_MISMATCH and a message saying what to fix: unreadable PEM, more than one certificate, not a
 * CA, not self-signed, a weak signature hash, a key other than P-256 / RSA >= 2048, a certificate
 * outside its validity period, and a key that does not belong to the certificate.
 */
export function loadRootCa(input: { certPem: string; keyPem: string; now?: Date }): RootCa {
  const now = input.now ?? new Date();
  const what = "root CA certificate";
  const cert = parseSingleCertificate(input.certPem, "INVALID_ROOT_CA", what);
  assertUsableRootCertificate(cert, now, what);
  assertKeyMatchesCertificate(cert, input.keyPem, "root CA key");
  return { certPem: normalizeCertificatePem(input.certPem), keyPem: input.keyPem };
}

/** The checks of loadRootCa that need only the certificate. */
export function assertUsableRootCertificate(cert: X509Certificate, now: Date, what: string): void {
  if (!cert.ca) {
    throw new CaError(
      "INVALID_ROOT_CA",
      `${what}: not a CA certificate (basicConstraints CA:TRUE is missing)`,
    );
  }
  if (!cert.checkIssued(cert) || !cert.verify(cert.publicKey)) {
    throw new CaError(
      "INVALID_ROOT_CA",
      `${what}: not self-signed; supply the root of your PKI (intermediate signers are not supported)`,
    );
  }
  const parsed = new x509.X509Certificate(cert.raw);
  const usages = parsed.getExtension(x509.KeyUsagesExtension)?.usages;
  if (usages !== undefined && (usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new CaError(
      "INVALID_ROOT_CA",
      `${what}: its key usage does not allow signing certificates (keyCertSign)`,
    );
  }
  const hash = (parsed.signatureAlgorithm as { hash?: { name?: string } }).hash?.name ?? "unknown";
  if (!["SHA-256", "SHA-384", "SHA-512"].includes(hash)) {
    throw new CaError("INVALID_ROOT_CA", `${what}: signed with ${hash}; use SHA-256 or stronger`);
  }
  keyKind(cert.publicKey, "INVALID_ROOT_CA", what);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now.getTime() < notBefore.getTime()) {
    throw new CaError(
      "INVALID_ROOT_CA",
      `${what}: not valid before ${notBefore.toISOString()}; check the clock`,
    );
  }
  if (now.getTime() >= notAfter.getTime()) {
    throw new CaError(
      "INVALID_ROOT_CA",
      `${what}: expired on ${notAfter.toISOString()}; supply a current CA`,
    );
  }
}
