/**
 * The node's TLS identity (certificate chain + key) and the trust bundle it verifies peers
 * against, replaceable at run time. Servers and client channels built from one TlsMaterialSource
 * pick up a renewed certificate or a rotated trust bundle on their next connection; connections
 * already established keep the material they were opened with.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { experimental } from "@grpc/grpc-js";
import { RpcError } from "../errors.ts";

type CertificateProvider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

export interface TlsMaterial {
  /** The node's certificate followed by any intermediates (PEM). */
  readonly certChainPem: string;
  readonly keyPem: string;
  /** Root certificates peers must chain to (PEM bundle). */
  readonly trustBundlePem: string;
  /**
   * Intermediates to accept from peers beyond those they send (PEM bundle, optional): during a
   * root rotation, the cross-signed new root. gRPC hands the server only a client's leaf, so a
   * node that still trusts the old root alone needs it to verify leaves issued by the new key.
   */
  readonly peerIntermediatesPem?: string;
}

export class TlsMaterialSource implements CertificateProvider {
  private material: TlsMaterial;
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();
  private readonly changeListeners = new Set<(material: TlsMaterial) => void>();
  private generation = 0;

  constructor(material: TlsMaterial) {
    checkTlsMaterial(material);
    this.material = material;
  }

  get current(): TlsMaterial {
    return this.material;
  }

  /** Bumped by every reload; lets holders of derived state notice a change. */
  get version(): number {
    return this.generation;
  }

  /**
   * Replaces the material (certificate renewal, root rotation). Checked first: a key that does
   * not match the certificate is refused with INVALID_ARGUMENT and the old material stays.
   */
  reload(material: TlsMaterial): void {
    checkTlsMaterial(material);
    this.material = material;
    this.generation++;
    for (const listener of this.caListeners) listener(this.caUpdate());
    for (const listener of this.identityListeners) listener(this.identityUpdate());
    for (const listener of this.changeListeners) listener(material);
  }

  /** Called after every reload with the new material; returns an unsubscribe function. */
  onChange(listener: (material: TlsMaterial) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    listener(this.caUpdate());
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    listener(this.identityUpdate());
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }

  private caUpdate() {
    return { caCertificate: Buffer.from(this.material.trustBundlePem) };
  }

  private identityUpdate() {
    return {
      certificate: Buffer.from(this.material.certChainPem),
      privateKey: Buffer.from(this.material.keyPem),
    };
  }
}

/** Refuses material that could never complete a handshake: unreadable PEM or a foreign key. */
export function checkTlsMaterial(material: TlsMaterial): void {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(material.certChainPem);
    new X509Certificate(material.trustBundlePem);
  } catch (err) {
    throw new RpcError("INVALID_ARGUMENT", `TLS material: unreadable certificate PEM (${String(err)})`);
  }
  let matches = false;
  try {
    matches = leaf.checkPrivateKey(createPrivateKey(material.keyPem));
  } catch (err) {
    throw new RpcError("INVALID_ARGUMENT", `TLS material: unreadable private key (${String(err)})`);
  }
  if (!matches) {
    throw new RpcError(
      "INVALID_ARGUMENT",
      "TLS material: the private key does not belong to the certificate",
    );
  }
}
