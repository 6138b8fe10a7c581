import type { Store } from "@shoal/store";

/**
 * The same store, but every update() and batch() carries `actor` into the committed transaction.
 * Control functions take a store, not an actor, so this is how the actor reaches the log.
 */
export function storeWithActor(store: Store, actor: string): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "update" || property === "batch") {
        const write = target[property].bind(target);
        return (fn: never, options: { actor?: string } = {}) => write(fn, { ...options, actor });
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
