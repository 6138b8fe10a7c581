import { createPrivateKey, type KeyObject, type webcrypto, type X509Certificate } from "node:crypto";
import { CaError, type CaErrorCode } from "./errors.ts";
import { derToPem } from "./pem.ts";
import { subtle } from "./x509.ts";

/** ECDSA P-256: the curve swarm uses for its root CA and for every node key. */
export const EC_KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
/** The smallest RSA modulus accepted for an operator-supplied CA or a node's CSR. */
export const RSA_MODULUS_BITS_MIN = 2048;

/** Keys this package signs with or accepts in a CSR: P-256, or RSA of at least 2048 bits. */
export type KeyKind = { kind: "ec-p256" } | { kind: "rsa"; modulusBits: number };

export interface SigningKey {
  readonly key: webcrypto.CryptoKey;
  readonly signingAlgorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** Generates a fresh P-256 key pair; the private key comes back as PKCS#8 PEM. */
export async function generateKeyPair(): Promise<{ keys: webcrypto.CryptoKeyPair; keyPem: string }> {
  const keys = await subtle.generateKey(EC_KEY_ALGORITHM, true, ["sign", "verify"]);
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", keys.privateKey));
  return { keys, keyPem: derToPem(pkcs8, "PRIVATE KEY") };
}

/** Reads an unencrypted PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"). */
export function readPrivateKey(keyPem: string, code: CaErrorCode, what: string): KeyObject {
  try {
    const key = createPrivateKey({ key: keyPem, format: "pem" });
    if (key.type !== "private") throw new Error("not a private key");
    return key;
  } catch (err) {
    throw new CaError(code, `${what}: not a readable, unencrypted PEM private key (${String(err)})`, {
      cause: err,
    });
  }
}

/** Classifies a public or private key, refusing anything but P-256 and RSA >= 2048. */
export function keyKind(key: KeyObject, code: CaErrorCode, what: string): KeyKind {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec") {
    if (details.namedCurve === "prime256v1") return { kind: "ec-p256" };
    throw new CaError(
      code,
      `${what}: ECDSA curve ${details.namedCurve ?? "unknown"} is not supported; use P-256`,
    );
  }
  if (key.asymmetricKeyType === "rsa") {
    const modulusBits = details.modulusLength ?? 0;
    if (modulusBits >= RSA_MODULUS_BITS_MIN) return { kind: "rsa", modulusBits };
    throw new CaError(
      code,
      `${what}: RSA key of ${modulusBits} bits is too small; use at least ${RSA_MODULUS_BITS_MIN}`,
    );
  }
  throw new CaError(
    code,
    `${what}: key type ${key.asymmetricKeyType ?? "unknown"} is not supported; use ECDSA P-256 or RSA >= 2048`,
  );
}

/** Imports a PEM private key for signing certificates with SHA-256. */
export async function importSigningKey(keyPem: string, code: CaErrorCode, what: string): Promise<SigningKey> {
  const keyObject = readPrivateKey(keyPem, code, what);
  const kind = keyKind(keyObject, code, what);
  const pkcs8 = keyObject.export({ type: "pkcs8", format: "der" });
  if (kind.kind === "ec-p256") {
    const key = await subtle.importKey("pkcs8", pkcs8, EC_KEY_ALGORITHM, false, ["sign"]);
    return { key, signingAlgorithm: { name: "ECDSA", hash: "SHA-256" } as webcrypto.EcdsaParams };
  }
  const rsa: webcrypto.RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const key = await subtle.importKey("pkcs8", pkcs8, rsa, false, ["sign"]);
  return { key, signingAlgorithm: rsa };
}

/** Throws KEY_MISMATCH unless `keyPem` is the private key of the (first) certificate in `certPem`. */
export function assertKeyMatchesCertificate(cert: X509Certificate, keyPem: string, what: string): void {
  const key = readPrivateKey(keyPem, "KEY_MISMATCH", what);
  let matches = false;
  try {
    matches = cert.checkPrivateKey(key);
  } catch {
    matches = false;
  }
  if (!matches) {
    throw new CaError("KEY_MISMATCH", `${what}: the private key does not belong to the certificate`);
  }
}
