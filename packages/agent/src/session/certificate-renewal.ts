/**
 * Renews the node certificate at the time @shoal/ca's renewalTime picks (a random point between
 * 50 % and 80 % of its life), over mutual TLS with the current certificate, then stores the new
 * key and chain (when a directory is given), reloads the TLS material and tells the session to
 * rebuild its clients (an open channel keeps the certificate it connected with).
 */
import { X509Certificate } from "node:crypto";
import {
  createNodeCsr,
  type KeyFileEncryption,
  type Rng,
  renewalTime,
  writeNodeCredentials,
  writeRootCaCertificate,
} from "@shoal/ca";
import { CaClient, type TlsMaterialSource } from "@shoal/rpc";
import { sleep } from "../abortable-sleep.ts";

export interface CertificateRenewalOptions {
  readonly tls: TlsMaterialSource;
  readonly clusterId?: string;
  /** Where the node keeps its credentials; renewed ones are written there. */
  readonly certificateDir?: string;
  /** How the renewed key is stored (encrypted on an autolocked manager); default plain. */
  readonly keyFileEncryption?: () => KeyFileEncryption;
  readonly rng: Rng;
  readonly nowMs: () => number;
  readonly retryDelayMs: number;
  /** The manager to ask. */
  readonly managerAddr: () => string;
  /** Called after the new material is in place. */
  readonly renewed: (role: string) => void;
  readonly onError: (error: unknown) => void;
}

/** Longest single timer (setTimeout's limit is 2^31 - 1 ms, about 24.8 days). */
const SLEEP_MS_MAX = 2 ** 31 - 1;

export class CertificateRenewal {
  constructor(private readonly options: CertificateRenewalOptions) {}

  /** When the current certificate should be renewed (ms since the epoch). */
  nextRenewalMs(): number {
    const leaf = new X509Certificate(this.options.tls.current.certChainPem);
    return renewalTime(new Date(leaf.validFrom), new Date(leaf.validTo), this.options.rng).getTime();
  }

  /** Renews at each certificate's renewal time until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const atMs = this.nextRenewalMs();
      while (!signal.aborted && this.options.nowMs() < atMs) {
        await sleep(Math.min(SLEEP_MS_MAX, atMs - this.options.nowMs()), signal);
      }
      if (signal.aborted) return;
      try {
        await this.renewNow();
      } catch (err) {
        this.options.onError(err);
        await sleep(this.options.retryDelayMs, signal);
      }
    }
  }

  /** Renews at once. */
  async renewNow(): Promise<void> {
    const { csrPem, keyPem } = await createNodeCsr();
    const ca = new CaClient(this.options.managerAddr(), this.options.tls, {
      ...(this.options.clusterId ? { clusterId: this.options.clusterId } : {}),
    });
    let response: Awaited<ReturnType<CaClient["renewNodeCertificate"]>>;
    try {
      response = await ca.renewNodeCertificate(csrPem);
    } finally {
      ca.close();
    }
    // During a root rotation the manager answers both roots and the chain carries the cross-signed
    // new root: peers' leaves of the new key then verify here even against the old root alone.
    const rotating = countCertificates(response.root_ca_pem) > 1;
    const material = {
      certChainPem: response.certificate_chain_pem,
      keyPem,
      trustBundlePem: response.root_ca_pem,
      ...(rotating ? { peerIntermediatesPem: chainIntermediates(response.certificate_chain_pem) } : {}),
    };
    if (this.options.certificateDir) {
      await writeNodeCredentials(
        this.options.certificateDir,
        material,
        this.options.keyFileEncryption?.() ?? {},
      );
      await writeRootCaCertificate(this.options.certificateDir, response.root_ca_pem);
    }
    this.options.tls.reload(material);
    this.options.renewed(response.role);
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g;

function countCertificates(pem: string): number {
  return pem.match(PEM_BLOCK)?.length ?? 0;
}

/** The certificates after the leaf. */
function chainIntermediates(chainPem: string): string {
  return (chainPem.match(PEM_BLOCK) ?? []).slice(1).join("");
}
