export * from "./address-pool.ts";
export * from "./allocation-error.ts";
export * from "./allocator.ts";
export * from "./allocator-state.ts";
export * from "./ipv4.ts";
export * from "./port-allocator.ts";
export * from "./reserve-ports.ts";
export * from "./subnet-allocator.ts";
