export * from "./codec.ts";
export { type Config, DEFAULT_CONFIG } from "./config.ts";
export * from "./errors.ts";
export type { Storage } from "./storage.ts";
export * from "./types.ts";
export * from "./driver/index.ts";
