import { X509Certificate } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.ts";
import { CaError } from "./errors.ts";
import { decryptPrivateKeyPem, encryptPrivateKeyPem, isEncryptedPrivateKeyPem } from "./key-encryption.ts";
import { assertKeyMatchesCertificate } from "./keys.ts";
import { pemCertificatesToDer } from "./pem.ts";

/** File names inside a node's certificates directory (swarm's names). */
export const NODE_CERT_FILE = "swarm-node.crt";
export const NODE_KEY_FILE = "swarm-node.key";
export const ROOT_CA_CERT_FILE = "swarm-root-ca.crt";
/** Only the node's user may read a private key. */
export const KEY_FILE_MODE = 0o600;
export const CERT_FILE_MODE = 0o644;
export const CERTIFICATES_DIR_MODE = 0o700;

export interface NodeCredentials {
  /** Leaf first, then any intermediates. */
  readonly certChainPem: string;
  readonly keyPem: string;
}

export interface KeyFileEncryption {
  /** Key-encrypting key: with it the key file is written encrypted and read back decrypted. */
  readonly kek?: Uint8Array | undefined;
}

/**
 * Writes a node's key (0600) and certificate chain, each atomically. The key is written first; a
 * crash between the two leaves a pair that readNodeCredentials reports as KEY_MISMATCH, and the
 * node then asks for a new certificate.
 */
export async function writeNodeCredentials(
  dir: string,
  credentials: NodeCredentials,
  encryption: KeyFileEncryption = {},
): Promise<void> {
  const leaf = firstCertificate(credentials.certChainPem, "certificate to store");
  assertKeyMatchesCertificate(leaf, credentials.keyPem, "credentials to store");
  await mkdir(dir, { recursive: true, mode: CERTIFICATES_DIR_MODE });
  const keyFile = encryption.kek
    ? encryptPrivateKeyPem(credentials.keyPem, encryption.kek)
    : credentials.keyPem;
  await writeFileAtomic(join(dir, NODE_KEY_FILE), keyFile, KEY_FILE_MODE);
  await writeFileAtomic(join(dir, NODE_CERT_FILE), credentials.certChainPem, CERT_FILE_MODE);
}

/**
 * Reads a node's credentials back; undefined when none were ever written; KEY_MISMATCH if torn;
 * KEY_LOCKED if the key file is encrypted and `encryption.kek` is absent or does not open it.
 */
export async function readNodeCredentials(
  dir: string,
  encryption: KeyFileEncryption = {},
): Promise<NodeCredentials | undefined> {
  const keyFile = await readIfExists(join(dir, NODE_KEY_FILE));
  const keyPem =
    keyFile === undefined ? undefined : decryptIfNeeded(keyFile, encryption, join(dir, NODE_KEY_FILE));
  const certChainPem = await readIfExists(join(dir, NODE_CERT_FILE));
  if (keyPem === undefined && certChainPem === undefined) return undefined;
  if (keyPem === undefined || certChainPem === undefined) {
    const missing = keyPem === undefined ? NODE_KEY_FILE : NODE_CERT_FILE;
    throw new CaError(
      "INVALID_STORED_CREDENTIALS",
      `${join(dir, missing)} is missing; the node must request a new certificate`,
    );
  }
  const leaf = firstCertificate(certChainPem, join(dir, NODE_CERT_FILE));
  assertKeyMatchesCertificate(leaf, keyPem, join(dir, NODE_KEY_FILE));
  return { certChainPem, keyPem };
}

/** Whether the stored node key is encrypted (a locked manager's). */
export async function isNodeKeyEncrypted(dir: string): Promise<boolean> {
  const keyFile = await readIfExists(join(dir, NODE_KEY_FILE));
  return keyFile !== undefined && isEncryptedPrivateKeyPem(keyFile);
}

function decryptIfNeeded(keyFile: string, encryption: KeyFileEncryption, path: string): string {
  if (!isEncryptedPrivateKeyPem(keyFile)) return keyFile;
  if (!encryption.kek)
    throw new CaError("KEY_LOCKED", `${path} is encrypted: the unlock key is needed to read it`);
  return decryptPrivateKeyPem(keyFile, encryption.kek, path);
}

/** Stores the trusted root CA bundle (public, 0644). */
export async function writeRootCaCertificate(dir: string, rootCaPem: string): Promise<void> {
  firstCertificate(rootCaPem, "root CA to store");
  await mkdir(dir, { recursive: true, mode: CERTIFICATES_DIR_MODE });
  await writeFileAtomic(join(dir, ROOT_CA_CERT_FILE), rootCaPem, CERT_FILE_MODE);
}

export async function readRootCaCertificate(dir: string): Promise<string | undefined> {
  const pem = await readIfExists(join(dir, ROOT_CA_CERT_FILE));
  if (pem !== undefined) firstCertificate(pem, join(dir, ROOT_CA_CERT_FILE));
  return pem;
}

function firstCertificate(pem: string, what: string): X509Certificate {
  const der = pemCertificatesToDer(pem)[0];
  if (der === undefined) throw new CaError("INVALID_STORED_CREDENTIALS", `${what}: no PEM certificate`);
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new CaError("INVALID_STORED_CREDENTIALS", `${what}: unreadable certificate (${String(err)})`, {
      cause: err,
    });
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
