/**
 * What the node registers with rpc's dispatcher service, once per process: it hands each call to
 * the dispatcher of the current leadership term and answers UNAVAILABLE on a manager that does not
 * lead (the agent then dials the next manager of its list). `dispatcherComponent` makes the leader
 * component that starts a fresh Dispatcher for each term and plugs it in here.
 */
import type { DispatcherHandlers } from "@shoal/rpc";
import { RpcError } from "@shoal/rpc";
import type { Store } from "@shoal/store";
import type { LeaderComponent, LeaderComponentFactory } from "../leader/leader-component.ts";
import { Dispatcher, type DispatcherOptions } from "./dispatcher.ts";

export class DispatcherEndpoint implements DispatcherHandlers {
  private dispatcher: Dispatcher | undefined;

  /** The running dispatcher, while this manager leads. */
  get current(): Dispatcher | undefined {
    return this.dispatcher;
  }

  /** Called by the leader component; undefined when the term ends. */
  plug(dispatcher: Dispatcher | undefined): void {
    this.dispatcher = dispatcher;
  }

  session: DispatcherHandlers["session"] = (request, context, send) =>
    this.running().session(request, context, send);
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

  private running(): Dispatcher {
    if (!this.dispatcher) {
      throw new RpcError(
        "UNAVAILABLE",
        "this manager is not the leader: dial another manager from the session's list",
      );
    }
    return this.dispatcher;
  }
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
