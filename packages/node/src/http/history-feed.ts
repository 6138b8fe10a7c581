/**
 * Keeps this node's history database fed from the committed log while it is a manager: a
 * HistoryWriter per manager component, started when the component appears (init, join as a
 * manager, promote, restart) and stopped when it goes (demote, leave, stop). History a snapshot
 * replaced (the manager joined after the log was compacted) is copied from the leader, and this
 * database answers the same request from other managers while this node leads.
 */
import { exportHistory, type HistoryPrisma, HistoryWriter } from "@shoal/api/history";
import type { Logger } from "@shoal/raft";
import type { Store } from "@shoal/store";
import type { ShoalNode } from "../shoal-node.ts";
import { currentManagerStore } from "./manager-store.ts";

/** Named limit: how often the feed looks for a manager component that came or went. */
export const ROLE_CHECK_INTERVAL_MS = 250;

export class HistoryFeed {
  private store: Store | undefined;
  private writer: HistoryWriter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private switching: Promise<void> = Promise.resolve();

  constructor(
    private readonly node: ShoalNode,
    private readonly prisma: HistoryPrisma,
    private readonly logger: Logger,
  ) {}

  start(): void {
    // While this node leads, managers that installed a snapshot copy their missing history from here.
    this.node.setHistoryExport((range) => exportHistory(this.prisma, range));
    this.maybeSwitch();
    this.timer = setInterval(() => this.maybeSwitch(), ROLE_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** Looks for a change of manager component now (also runs on a timer). */
  maybeSwitch(): void {
    const store = currentManagerStore(this.node);
    if (store === this.store) return;
    this.store = store;
    this.switching = this.switching.then(() => this.switchTo(store));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.node.setHistoryExport(undefined);
    this.store = undefined;
    this.switching = this.switching.then(() => this.switchTo(undefined));
    await this.switching;
  }

  private async switchTo(store: Store | undefined): Promise<void> {
    await this.writer?.stop();
    this.writer = undefined;
    if (store === undefined) return;
    this.writer = new HistoryWriter(this.prisma, store, {
      onError: (error) => this.logger.warn("history writer", { error: String(error) }),
      fetchMissing: async (range) => {
        if (this.node.info().isLeader) {
          throw new Error("this manager leads: no other manager holds the history it lacks");
        }
        return this.node.leaderHistory(range);
      },
    });
    this.writer.start();
  }
}
