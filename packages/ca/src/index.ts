export { syncDirectory, writeFileAtomic } from "./atomic-file.ts";
export { CHAIN_LENGTH_MAX, verifyCertificateChain } from "./chain-verify.ts";
export { CSR_PEM_CHARS_MAX, CSR_SUBJECT, createNodeCsr, readCsrPublicKey } from "./csr.ts";
export { CaError, type CaErrorCode } from "./errors.ts";
export {
  constantTimeEquals,
  generateJoinToken,
  generateJoinTokens,
  JOIN_TOKEN_DIGEST_CHARS,
  JOIN_TOKEN_PREFIX,
  JOIN_TOKEN_SECRET_BYTES,
  JOIN_TOKEN_SECRET_CHARS,
  JOIN_TOKEN_VERSION,
  type JoinTokens,
  matchJoinToken,
  type ParsedJoinToken,
  parseJoinToken,
  rootCaDigestHex,
  rotateJoinToken,
} from "./join-token.ts";
export {
  CERT_FILE_MODE,
  isNodeKeyEncrypted,
  KEY_FILE_MODE,
  type KeyFileEncryption,
  NODE_CERT_FILE,
  NODE_KEY_FILE,
  type NodeCredentials,
  ROOT_CA_CERT_FILE,
  readNodeCredentials,
  readRootCaCertificate,
  writeNodeCredentials,
  writeRootCaCertificate,
} from "./key-store.ts";
export { EC_KEY_ALGORITHM, RSA_MODULUS_BITS_MIN } from "./keys.ts";
export {
  type IssuedCertificate,
  type IssueNodeCertificateInput,
  issueNodeCertificate,
  NODE_CERT_VALIDITY_MS_DEFAULT,
  NODE_CERT_VALIDITY_MS_MAX,
  NODE_CERT_VALIDITY_MS_MIN,
  nodeCertificateDnsNames,
  type SigningCa,
} from "./node-certificate.ts";
export { CA_DNS_NAME, isNodeRole, isValidId, NodeRole } from "./node-role.ts";
export { normalizeCertificatePem } from "./pem.ts";
export { CA_MISMATCH_MESSAGE, checkRemoteRootCa } from "./remote-ca.ts";
export {
  RENEWAL_LIFETIME_FRACTION_MAX,
  RENEWAL_LIFETIME_FRACTION_MIN,
  type Rng,
  renewalTime,
} from "./renewal.ts";
export {
  CLOCK_SKEW_BACKDATE_MS,
  createRootCa,
  loadRootCa,
  ROOT_CA_SUBJECT,
  ROOT_CA_VALIDITY_MS,
  type RootCa,
} from "./root-ca.ts";
export {
  crossSignRootCa,
  type RootRotation,
  rotationSigningCa,
  startRootRotation,
  trustBundleDuringRotation,
} from "./root-rotation.ts";
export {
  type NodeTlsMaterial,
  nodeTlsOptions,
  peerCertificateChainPem,
  TLS_MIN_VERSION,
} from "./tls-options.ts";
export { generateUnlockKey, parseUnlockKey, UNLOCK_KEY_BYTES, UNLOCK_KEY_PREFIX } from "./unlock-key.ts";
export {
  type PeerIdentity,
  readPeerIdentity,
  type VerifyPeerOptions,
  type VerifyPeerResult,
  verifyPeerCertificate,
} from "./verify-peer.ts";
