/**
 * A leader component: ends a root CA rotation as soon as every node that is not down holds a
 * certificate of the new root (`maybeFinishRootRotation`). It checks once from a snapshot, then
 * on every change of a node or of the cluster object (a renewal recorded, a node going down).
 */
import { type Store, StoreError } from "@shoal/store";
import type { LeaderComponent } from "../leader/leader-component.ts";
import type { Clock } from "../loop/clock.ts";
import { maybeFinishRootRotation } from "./root-rotation.ts";

/** Named limit: wait before re-watching after a failed watch or write. */
export const ROOT_ROTATION_RETRY_MS = 200;

export class RootRotationFinisher implements LeaderComponent {
  readonly name = "root-rotation-finisher";
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly onFinished: () => void = () => {},
  ) {}

  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const { snapshot, changes } = this.store.viewAndWatch(signal, ["node", "cluster"]);
        if (snapshot.clusters.all()[0]?.rootCa.rotation) await this.maybeFinish();
        for await (const _batch of changes) {
          if (this.store.view((v) => v.clusters.all()[0]?.rootCa.rotation) !== undefined)
            await this.maybeFinish();
        }
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof StoreError && error.code === "resync-required")) this.onError(error);
        await this.clock.sleep(ROOT_ROTATION_RETRY_MS, signal);
      }
    }
  }

  private async maybeFinish(): Promise<void> {
    const { value } = await this.store.update((tx) => maybeFinishRootRotation(tx), {
      actor: "root-rotation",
    });
    if (value) this.onFinished();
  }
}
