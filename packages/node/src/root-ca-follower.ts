/**
 * Follows the swarm's root CA as the dispatcher's session messages carry it (`root_ca_pem`):
 * - two roots (old + new): a root CA rotation is in progress. The node trusts both at once and,
 *   unless its certificate already comes from the new root, renews it now (retrying until it
 *   does, or the rotation ends). The renewal reloads the TLS material of the node's server and
 *   clients and reconnects the session.
 * - one root that differs from what the node trusts: the rotation finished. The node trusts the
 *   new root alone and writes it to `certificates/swarm-root-ca.crt`.
 * One renewal at a time; the latest message wins.
 */
import { X509Certificate } from "node:crypto";
import { writeRootCaCertificate } from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import type { TlsMaterialSource } from "@shoal/rpc";

/** Named limit: wait between renewal attempts during a rotation. */
export const ROTATION_RENEW_RETRY_MS = 500;
/** Named limit: renewal attempts per rotation message before waiting for the next one. */
export const ROTATION_RENEW_ATTEMPTS_MAX = 60;

export interface RootCaFollowerOptions {
  readonly tls: TlsMaterialSource;
  readonly certificateDir: string;
  /** Renews the node certificate now (the agent session's renewal: stores, reloads, reconnects). */
  readonly renew: () => Promise<void>;
  readonly logger: Logger;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?/g;

export class RootCaFollower {
  private latest = "";
  private work: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: RootCaFollowerOptions) {}

  handleRootCa(rootCaPem: string): void {
    if (rootCaPem === this.latest) return;
    this.latest = rootCaPem;
    this.work = this.work
      .then(() => this.follow(rootCaPem))
      .catch((error) =>
        this.options.logger.warn("root CA: could not follow the swarm's root", { error: String(error) }),
      );
  }

  /** Stops retrying; waits for the renewal under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.work;
  }

  private async follow(rootCaPem: string): Promise<void> {
    const { tls, logger } = this.options;
    const roots = rootCaPem.match(PEM_BLOCK) ?? [];
    const newRoot = roots.at(-1);
    if (newRoot === undefined) return;
    if (roots.length === 1) {
      if (tls.current.trustBundlePem === rootCaPem) return;
      const { peerIntermediatesPem: _gone, ...material } = tls.current;
      tls.reload({ ...material, trustBundlePem: rootCaPem });
      await writeRootCaCertificate(this.options.certificateDir, rootCaPem);
      if (!issuedBy(tls.current.certChainPem, newRoot)) {
        logger.warn(
          "root CA: this node's certificate is not from the swarm's root (it missed the rotation): leave the swarm and join again",
        );
      } else {
        logger.info("root CA: the rotation finished; trusting the new root alone");
      }
      return;
    }
    // A rotation: trust both roots now, then renew under the new one.
    if (tls.current.trustBundlePem !== rootCaPem) tls.reload({ ...tls.current, trustBundlePem: rootCaPem });
    for (let attempt = 1; attempt <= ROTATION_RENEW_ATTEMPTS_MAX; attempt++) {
      if (this.stopped || this.latest !== rootCaPem) return;
      if (issuedBy(tls.current.certChainPem, newRoot)) return;
      try {
        await this.options.renew();
        logger.info("root CA rotation: certificate renewed under the new root");
      } catch (error) {
        logger.debug("root CA rotation: renewal failed; retrying", { attempt, error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, ROTATION_RENEW_RETRY_MS));
      }
    }
  }
}

/** Whether the leaf of `chainPem` was signed by `rootPem`'s key. */
function issuedBy(chainPem: string, rootPem: string): boolean {
  const leafPem = chainPem.match(PEM_BLOCK)?.[0];
  if (leafPem === undefined) return false;
  const leaf = new X509Certificate(leafPem);
  const root = new X509Certificate(rootPem);
  return leaf.checkIssued(root) && leaf.verify(root.publicKey);
}
