import { StoreError } from "./errors.ts";
import { ApiTokenReader } from "./tables/api-tokens.ts";
import { ClusterReader } from "./tables/clusters.ts";
import { ConfigReader } from "./tables/configs.ts";
import { NetworkReader } from "./tables/networks.ts";
import { NodeReader } from "./tables/nodes.ts";
import { SecretReader } from "./tables/secrets.ts";
import { ServiceReader } from "./tables/services.ts";
import { SessionKeyReader } from "./tables/session-keys.ts";
import { StackRevisionReader } from "./tables/stack-revisions.ts";
import type { ViewGuard } from "./tables/table-reader.ts";
import type { Tables } from "./tables/tables.ts";
import { TaskReader } from "./tables/tasks.ts";
import { UserReader } from "./tables/users.ts";

/** The part of the store a view needs to know whether it is still current. */
export interface ViewSource {
  readonly tables: Tables;
  /** Bumped by every apply that changes something and by restore. */
  readonly generation: number;
  readonly version: number;
}

/**
 * A consistent read of the whole store at one version. Reads are synchronous and apply is
 * synchronous, so a view can never see half a transaction; to make sure it never sees a *later*
 * one either, a view refuses to be read (code "view-expired") once the store has applied another
 * change, and once the callback it was given to has returned.
 */
export class ReadView implements ViewGuard {
  readonly version: number;
  readonly clusters: ClusterReader;
  readonly nodes: NodeReader;
  readonly services: ServiceReader;
  readonly tasks: TaskReader;
  readonly networks: NetworkReader;
  readonly secrets: SecretReader;
  readonly configs: ConfigReader;
  readonly users: UserReader;
  readonly apiTokens: ApiTokenReader;
  readonly sessionKeys: SessionKeyReader;
  readonly stackRevisions: StackRevisionReader;
  private readonly generation: number;
  private closed = false;

  constructor(private readonly source: ViewSource) {
    this.version = source.version;
    this.generation = source.generation;
    const t = source.tables;
    this.clusters = new ClusterReader(t.cluster, this);
    this.nodes = new NodeReader(t.node, this);
    this.services = new ServiceReader(t.service, this);
    this.tasks = new TaskReader(t.task, this);
    this.networks = new NetworkReader(t.network, this);
    this.secrets = new SecretReader(t.secret, this);
    this.configs = new ConfigReader(t.config, this);
    this.users = new UserReader(t.user, this);
    this.apiTokens = new ApiTokenReader(t.apiToken, this);
    this.sessionKeys = new SessionKeyReader(t.sessionKey, this);
    this.stackRevisions = new StackRevisionReader(t.stackRevision, this);
  }

  /** Whether reads still answer (not closed, store not moved on). */
  isCurrent(): boolean {
    return !this.closed && this.source.generation === this.generation;
  }

  check(): void {
    if (this.closed) throw new StoreError("view-expired", "this view was used after its callback returned");
    if (this.source.generation !== this.generation) {
      throw new StoreError(
        "view-expired",
        `this view shows version ${this.version} but the store has moved on: read it synchronously, or take a new view`,
      );
    }
  }

  close(): void {
    this.closed = true;
  }
}
