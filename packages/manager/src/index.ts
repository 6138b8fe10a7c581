// @shoal/manager: leader-only loops over the replicated store.
// Each loop lives in its own folder; add one export line per public module.
export * from "./loop/clock.ts";
export * from "./loop/debounce.ts";
export * from "./scheduler/index.ts";
export * from "./allocator/index.ts";
