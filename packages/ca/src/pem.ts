import { X509Certificate } from "node:crypto";
import { CaError, type CaErrorCode } from "./errors.ts";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;
const PEM_LINE_CHARS = 64;

/** DER bytes as one PEM block with 64-character lines and a trailing newline. */
export function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += PEM_LINE_CHARS) lines.push(base64.slice(i, i + PEM_LINE_CHARS));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The DER bytes of every CERTIFICATE block in a PEM bundle, in order. Other blocks are ignored. */
export function pemCertificatesToDer(pem: string): Buffer[] {
  const ders: Buffer[] = [];
  for (const match of pem.matchAll(CERTIFICATE_BLOCK)) {
    ders.push(Buffer.from(match[1]!.replace(/\s+/g, ""), "base64"));
  }
  return ders;
}

/**
 * Re-encodes every certificate of a bundle the same way (no headers, 64-character lines, one
 * trailing newline each). Join-token digests are computed over these exact bytes, so a CA PEM
 * is normalised once, when it is created or supplied, and served unchanged afterwards.
 */
export function normalizeCertificatePem(pem: string): string {
  return pemCertificatesToDer(pem)
    .map((der) => derToPem(der, "CERTIFICATE"))
    .join("");
}

/** Parses every certificate of a bundle; throws `code` if there is none or one is unreadable. */
export function parseCertificateBundle(pem: string, code: CaErrorCode, what: string): X509Certificate[] {
  const ders = pemCertificatesToDer(pem);
  if (ders.length === 0) throw new CaError(code, `${what}: no PEM CERTIFICATE block found`);
  return ders.map((der, i) => {
    try {
      return new X509Certificate(der);
    } catch (err) {
      throw new CaError(code, `${what}: certificate ${i + 1} is not valid X.509 (${String(err)})`, {
        cause: err,
      });
    }
  });
}

/** Parses a PEM that must hold exactly one certificate. */
export function parseSingleCertificate(pem: string, code: CaErrorCode, what: string): X509Certificate {
  const certs = parseCertificateBundle(pem, code, what);
  if (certs.length !== 1) {
    throw new CaError(code, `${what}: expected exactly one certificate, found ${certs.length}`);
  }
  return certs[0]!;
}
