/**
 * What the node registers with rpc's dispatcher service, once per process: it hands each call to
 * the dispatcher of the current leadership term. On a manager that does not lead, calls go to the
 * `relay` (rpc's DispatcherRelay: on to the leader, for the calling agent) or, without one, are
 * answered UNAVAILABLE (the agent then dials the next manager of its list). `dispatcherComponent`
 * makes the leader component that starts a fresh Dispatcher for each term and plugs it in here.
 */
import type { DispatcherHandlers } from "@shoal/rpc";
import { RpcError } from "@shoal/rpc";
import type { Store } from "@shoal/store";
import type { LeaderComponent, LeaderComponentFactory } from "../leader/leader-component.ts";
import { systemClock } from "../loop/clock.ts";
import { Dispatcher, type DispatcherOptions } from "./dispatcher.ts";

/** How long a session relayed to the leader keeps trying to open (the agent waits 5 s). */
const SESSION_OPEN_RETRY_MS = 4_000;
const SESSION_OPEN_RETRY_DELAY_MS = 100;

export class DispatcherEndpoint implements DispatcherHandlers {
  private dispatcher: Dispatcher | undefined;

  constructor(private readonly relay?: Required<DispatcherHandlers>) {}

  /** The running dispatcher, while this manager leads. */
  get current(): Dispatcher | undefined {
    return this.dispatcher;
  }

  /** Called by the leader component; undefined when the term ends. */
  plug(dispatcher: Dispatcher | undefined): void {
    this.dispatcher = dispatcher;
  }

  /**
   * A session that fails to open because no leader answers (an election, a leader that died) is
   * tried again for a while, here or on the dispatcher this manager starts when it wins: the agent
   * keeps the manager it chose instead of moving on. Once a message went out, failures end it.
   */
  session: DispatcherHandlers["session"] = async (request, context, send) => {
    const until = Date.now() + SESSION_OPEN_RETRY_MS;
    for (;;) {
      const target = this.running();
      let opened = false;
      try {
        await target.session(request, context, (message) => {
          opened = true;
          return send(message);
        });
        return;
      } catch (err) {
        const retry =
          target === this.relay &&
          !opened &&
          !context.signal.aborted &&
          isUnavailable(err) &&
          Date.now() < until;
        if (!retry) throw err;
        await systemClock.sleep(SESSION_OPEN_RETRY_DELAY_MS, context.signal);
      }
    }
  };
  heartbeat: DispatcherHandlers["heartbeat"] = (request, context) =>
    this.running().heartbeat(request, context);
  assignments: DispatcherHandlers["assignments"] = (request, context, send) =>
    this.running().assignments(request, context, send);
  updateTaskStatus: DispatcherHandlers["updateTaskStatus"] = (request, context) =>
    this.running().updateTaskStatus(request, context);
  subscribeLogs: NonNullable<DispatcherHandlers["subscribeLogs"]> = (request, context, send) =>
    this.running().subscribeLogs(request, context, send);
  publishLogs: NonNullable<DispatcherHandlers["publishLogs"]> = (messages, context) =>
    this.running().publishLogs(messages, context);
  endpoints: NonNullable<DispatcherHandlers["endpoints"]> = (request, context, send) =>
    this.running().endpoints(request, context, send);

  private running(): Required<DispatcherHandlers> {
    if (this.dispatcher) return this.dispatcher;
    if (this.relay) return this.relay;
    throw new RpcError(
      "UNAVAILABLE",
      "this manager is not the leader: dial another manager from the session's list",
    );
  }
}

function isUnavailable(err: unknown): boolean {
  return err instanceof RpcError && (err.code === "UNAVAILABLE" || err.code === "DEADLINE_EXCEEDED");
}

/** The leader component: a new Dispatcher per term, plugged into `endpoint` while it runs. */
export function dispatcherComponent(
  endpoint: DispatcherEndpoint,
  store: Store,
  options: DispatcherOptions,
): LeaderComponentFactory {
  return (): LeaderComponent => {
    const dispatcher = new Dispatcher(store, options);
    return {
      name: "dispatcher",
      start: () => {
        dispatcher.start();
        endpoint.plug(dispatcher);
      },
      stop: async () => {
        if (endpoint.current === dispatcher) endpoint.plug(undefined);
        await dispatcher.stop();
      },
    };
  };
}
