/**
 * Follows this node's role as the swarm wants it: every `ROLE_WATCH_PERIOD_MS` it asks another
 * manager (CA NodeCertificateStatus) which role its certificate should carry; when that differs
 * from the current certificate, it renews the certificate (the CA issues the new role) and tells
 * the node to switch roles (start or stop the manager component). A promoted worker thus becomes
 * a manager, and a demoted manager a worker, inside the running process.
 */
import { createNodeCsr } from "@shoal/ca";
import { storeRoleOf } from "@shoal/manager";
import type { Logger } from "@shoal/raft";
import { CaClient, type TlsMaterialSource } from "@shoal/rpc";
import type { NodeRole } from "@shoal/store";

export const ROLE_WATCH_PERIOD_MS = 500;
const CALL_DEADLINE_MS = 2_000;

export interface RoleWatcherDeps {
  readonly tls: TlsMaterialSource;
  readonly clusterId: string;
  readonly logger: Logger;
  /** Managers to ask, this node excluded. */
  readonly managers: () => string[];
  readonly currentRole: () => NodeRole;
  /** Stores the renewed credentials and switches the role. */
  readonly switchRole: (
    role: NodeRole,
    credentials: { certChainPem: string; keyPem: string },
  ) => Promise<void>;
}

export class RoleWatcher {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private next = 0;
  private stopped = false;

  constructor(private readonly deps: RoleWatcherDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.maybeSwitch(), ROLE_WATCH_PERIOD_MS);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async maybeSwitch(): Promise<void> {
    if (this.busy || this.stopped) return;
    const managers = this.deps.managers();
    if (managers.length === 0) return;
    this.busy = true;
    const addr = managers[this.next++ % managers.length]!;
    const client = new CaClient(addr, this.deps.tls, { clusterId: this.deps.clusterId });
    try {
      const status = await client.nodeCertificateStatus({ deadlineMs: CALL_DEADLINE_MS });
      if (status.role === "" || this.stopped) return;
      const wanted = storeRoleOf(status.role);
      if (wanted === this.deps.currentRole()) return;
      this.deps.logger.info("role watcher: the swarm wants another role; renewing the certificate", {
        from: this.deps.currentRole(),
        to: wanted,
      });
      const { csrPem, keyPem } = await createNodeCsr();
      const renewed = await client.renewNodeCertificate(csrPem, { deadlineMs: CALL_DEADLINE_MS * 2 });
      const role = storeRoleOf(renewed.role);
      if (role !== this.deps.currentRole() && !this.stopped) {
        await this.deps.switchRole(role, { certChainPem: renewed.certificate_chain_pem, keyPem });
      }
    } catch (error) {
      this.deps.logger.debug("role watcher: manager did not answer", { addr, error: String(error) });
    } finally {
      client.close();
      this.busy = false;
    }
  }
}
