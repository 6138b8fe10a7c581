/**
 * Follows one service over live updates until it converges (then `verify` for the update
 * monitor period, as docker does), fails or pauses. Tasks and the service are read once, then
 * patched from socket.io deltas; a resync refetches them.
 */
import type { Api } from "../api-client.ts";
import type { ServiceView, TaskView } from "../api-types.ts";
import { CliError } from "../cli-error.ts";
import { connectLive, type LiveSocket, subscribe } from "../live-client.ts";
import { hostnames } from "../lookups.ts";
import { assessConvergence, type Convergence } from "./convergence.ts";
import { type Output, ProgressRenderer } from "./progress-renderer.ts";

/** Named limit: the verify wait when the service's update config says 0. */
export const VERIFY_MS_DEFAULT = 5_000;

export interface WatchOptions {
  readonly api: Api;
  readonly host: string;
  readonly token: string | undefined;
  readonly serviceId: string;
  /** The change's time (the service's updatedAtMs after the write). */
  readonly sinceMs: number;
  readonly expectRollback?: boolean;
  readonly out: Output;
  /** Prints the service's name first (docker does for create/update). */
  readonly header?: string;
}

export async function watchService(options: WatchOptions): Promise<void> {
  const { api } = options;
  const names = await hostnames(api);
  const renderer = new ProgressRenderer(options.out);
  if (options.header) renderer.header(options.header);
  const socket = await connectLive(options.host, options.token);
  try {
    await new Promise<void>((resolve, reject) => {
      const state = new WatchState(options, names, renderer, resolve, reject);
      state.start(socket).catch(reject);
    });
  } finally {
    socket.close();
  }
}

class WatchState {
  private service: ServiceView | undefined;
  private readonly tasks = new Map<string, TaskView>();
  private verifyTimer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly options: WatchOptions,
    private readonly hostnames: ReadonlyMap<string, string>,
    private readonly renderer: ProgressRenderer,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}

  async start(socket: LiveSocket): Promise<void> {
    const id = this.options.serviceId;
    socket.on("service.updated", (d) => {
      if (d.id !== id) return;
      if (d.action === "delete") return this.fail("the service was removed while the CLI waited for it");
      this.service = d.object;
      this.update();
    });
    socket.on("task.updated", (d) => {
      if (d.object.serviceId !== id) return;
      if (d.action === "delete") this.tasks.delete(d.id);
      else this.tasks.set(d.id, d.object);
      this.update();
    });
    socket.on("resync", () => void this.refetch(socket).catch((e: Error) => this.fail(e.message)));
    socket.on("denied", (n) => this.fail(n.message));
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") this.fail("the manager closed the live updates connection");
    });
    await this.refetch(socket);
  }

  private async refetch(socket: LiveSocket): Promise<void> {
    const { api, serviceId } = this.options;
    const list = await api.tasks.list.query({ filters: { service: serviceId } });
    this.service = await api.services.inspect.query({ service: serviceId });
    this.tasks.clear();
    for (const t of list.items) this.tasks.set(t.id, t);
    const ack = await subscribe(socket, [`service:${serviceId}`, "tasks"], list.version);
    if (!ack.ok && ack.code === "resync-required") return this.refetch(socket);
    if (!ack.ok) throw new CliError(ack.message, 1, ack.code);
    this.update();
  }

  private update(): void {
    if (this.finished || this.service === undefined) return;
    const c = assessConvergence(this.service, [...this.tasks.values()], {
      sinceMs: this.options.sinceMs,
      expectRollback: this.options.expectRollback === true,
      nodeName: (id) => this.hostnames.get(id) ?? id.slice(0, 12),
    });
    if (c.state === "failed" || c.state === "paused") {
      this.renderer.render(c);
      this.fail(c.reason, c.state === "paused" ? "update-paused" : "not-converged");
      return;
    }
    if (c.state !== "converged") {
      clearTimeout(this.verifyTimer);
      this.verifyTimer = undefined;
      this.renderer.render(c);
      return;
    }
    if (this.verifyTimer !== undefined) return;
    const monitorMs = this.service.spec.updateConfig.monitorMs || VERIFY_MS_DEFAULT;
    this.renderer.render(
      c,
      `Waiting ${Math.round(monitorMs / 1_000)} second${Math.round(monitorMs / 1_000) === 1 ? "" : "s"} to verify that tasks are stable...`,
    );
    this.verifyTimer = setTimeout(() => this.succeed(c), monitorMs);
  }

  private succeed(c: Convergence): void {
    if (this.finished) return;
    this.finished = true;
    this.renderer.render(c, "Service converged");
    this.resolve();
  }

  private fail(message: string, code = "not-converged"): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.verifyTimer);
    this.reject(new CliError(message, 1, code));
  }
}
