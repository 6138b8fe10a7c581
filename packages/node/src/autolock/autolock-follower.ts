/**
 * Keeps a running manager's files encrypted as the cluster says: with autolock on, its TLS key
 * and Raft data key are encrypted with the cluster's current unlock key (`unlockKeys[0]`); with
 * autolock off they are stored plain. It follows the cluster object in this manager's store, so
 * every manager re-encrypts when the key is rotated or autolock is switched, leader or not.
 */
import { type KeyFileEncryption, parseUnlockKey } from "@shoal/ca";
import type { Logger } from "@shoal/raft";
import type { Cluster, Store } from "@shoal/store";
import type { ManagerKeys } from "./manager-keys.ts";

/** Named limit: wait before watching again after the watch failed (store restored, fell behind). */
const REWATCH_DELAY_MS = 200;

export interface AutolockFollowerOptions {
  readonly store: Store;
  readonly keys: ManagerKeys;
  /** Rewrites the node's key file with `encryption`. */
  readonly writeNodeKey: (encryption: KeyFileEncryption) => Promise<void>;
  readonly logger: Logger;
}

export class AutolockFollower {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly options: AutolockFollowerOptions) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.work;
  }

  /** Applies the cluster object as it is now (swarm init waits for it before answering). */
  followNow(): Promise<void> {
    return this.follow(this.options.store.view((v) => v.clusters.all()[0]));
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.options.store.viewAndWatch(signal, ["cluster"]);
        await this.follow(snapshot.clusters.all()[0]);
        for await (const _batch of changes) {
          await this.follow(this.options.store.view((v) => v.clusters.all()[0]));
        }
      } catch (error) {
        if (signal.aborted) return;
        this.options.logger.warn("autolock: watching the cluster failed; watching again", {
          error: String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, REWATCH_DELAY_MS));
      }
    }
  }

  /** One change at a time, in order. */
  private follow(cluster: Cluster | undefined): Promise<void> {
    const run = this.work.then(() => this.apply(cluster));
    this.work = run.catch(() => {});
    return run;
  }

  private async apply(cluster: Cluster | undefined): Promise<void> {
    if (!cluster) return;
    const key = cluster.spec.encryptionConfig.autoLockManagers ? cluster.unlockKeys[0]?.key : undefined;
    const kek = key === undefined ? undefined : parseUnlockKey(key);
    const current = this.options.keys.kek;
    if (kek === undefined ? current === undefined : current !== undefined && Buffer.from(kek).equals(current))
      return;
    await this.options.keys.protectWith(kek, this.options.writeNodeKey);
    this.options.logger.info(
      kek
        ? "autolock: this manager's keys are now encrypted with the unlock key"
        : "autolock: off; keys stored plain",
    );
  }
}
