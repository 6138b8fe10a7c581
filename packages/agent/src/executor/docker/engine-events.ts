import type Dockerode from "dockerode";
import { sleep } from "../../abortable-sleep.ts";
import type { AgentLimits } from "../../agent-limits.ts";
import { TASK_ID_LABEL } from "./task-labels.ts";

export interface ContainerEvent {
  containerId: string;
  /** The engine's action: start, die, kill, oom, destroy, `health_status: healthy`, ... */
  action: string;
}

type EventLimits = Pick<AgentLimits, "eventsReconnectDelayMsMin" | "eventsReconnectDelayMsMax">;

/**
 * One subscription to the engine's events stream (task containers only), shared by every task
 * controller. When the stream (re)connects, resync listeners run: events may have been missed,
 * so each waiter inspects its container once. No polling.
 */
export class EngineEvents {
  private readonly listeners = new Map<string, Set<(event: ContainerEvent) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly stopper = new AbortController();
  private done: Promise<void> = Promise.resolve();
  private connectedNow = false;

  constructor(
    private readonly docker: Dockerode,
    private readonly limits: EventLimits,
    /** Further label filters (`key=value`, all must match): the node's own containers only. */
    private readonly labels: readonly string[] = [],
  ) {}

  get connected(): boolean {
    return this.connectedNow;
  }

  start(): void {
    this.done = this.run(this.stopper.signal);
  }

  async close(): Promise<void> {
    this.stopper.abort();
    await this.done;
  }

  watch(containerId: string, listener: (event: ContainerEvent) => void): () => void {
    let set = this.listeners.get(containerId);
    if (!set) {
      set = new Set();
      this.listeners.set(containerId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(containerId);
    };
  }

  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delayMs = this.limits.eventsReconnectDelayMsMin;
    while (!signal.aborted) {
      try {
        const stream = (await this.docker.getEvents({
          filters: JSON.stringify({ type: ["container"], label: [TASK_ID_LABEL, ...this.labels] }),
          abortSignal: signal,
        } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream & AsyncIterable<Buffer>;
        const onAbort = () => (stream as unknown as { destroy?: () => void }).destroy?.();
        signal.addEventListener("abort", onAbort, { once: true });
        this.connectedNow = true;
        delayMs = this.limits.eventsReconnectDelayMsMin;
        this.emitResync();
        try {
          await this.consume(stream);
        } finally {
          signal.removeEventListener("abort", onAbort);
        }
      } catch {
        // The engine is down or restarting: try again after a pause.
      }
      this.connectedNow = false;
      if (signal.aborted) return;
      await sleep(delayMs, signal);
      delayMs = Math.min(delayMs * 2, this.limits.eventsReconnectDelayMsMax);
    }
  }

  private async consume(stream: AsyncIterable<Buffer>): Promise<void> {
    let buffered = "";
    for await (const chunk of stream) {
      buffered += chunk.toString("utf8");
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) this.dispatch(line);
        newline = buffered.indexOf("\n");
      }
    }
  }

  private dispatch(line: string): void {
    let raw: { id?: string; Action?: string; status?: string; Actor?: { ID?: string } };
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    const containerId = raw.Actor?.ID ?? raw.id;
    const action = raw.Action ?? raw.status;
    if (!containerId || !action) return;
    const set = this.listeners.get(containerId);
    if (!set) return;
    for (const listener of [...set]) listener({ containerId, action });
  }

  private emitResync(): void {
    for (const listener of [...this.resyncListeners]) listener();
  }
}
