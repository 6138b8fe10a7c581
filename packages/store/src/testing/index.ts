export * from "./fixtures.ts";
export * from "./local-log.ts";
export * from "./test-store.ts";
