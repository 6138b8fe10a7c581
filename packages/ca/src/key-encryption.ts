/**
 * A node's private key encrypted with a key-encrypting key (a manager's unlock key under
 * autolock): standard PEM "ENCRYPTED PRIVATE KEY" (PKCS#8, AES-256-CBC under PBES2), so OpenSSL
 * reads it too given the same passphrase bytes.
 */
import { createPrivateKey } from "node:crypto";
import { CaError } from "./errors.ts";

const ENCRYPTED_HEADER = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

export function isEncryptedPrivateKeyPem(pem: string): boolean {
  return pem.includes(ENCRYPTED_HEADER);
}

export function encryptPrivateKeyPem(keyPem: string, kek: Uint8Array): string {
  const key = createPrivateKey({ key: keyPem, format: "pem" });
  return key.export({
    format: "pem",
    type: "pkcs8",
    cipher: "aes-256-cbc",
    passphrase: Buffer.from(kek),
  }) as string;
}

/** The plain PKCS#8 PEM; CaError KEY_LOCKED when `kek` is not the key it was encrypted with. */
export function decryptPrivateKeyPem(encryptedPem: string, kek: Uint8Array, what: string): string {
  try {
    const key = createPrivateKey({ key: encryptedPem, format: "pem", passphrase: Buffer.from(kek) });
    return key.export({ format: "pem", type: "pkcs8" }) as string;
  } catch (err) {
    throw new CaError("KEY_LOCKED", `${what}: the key does not decrypt it`, { cause: err });
  }
}
