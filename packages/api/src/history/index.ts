export * from "./change-summary.ts";
export * from "./history-database.ts";
export * from "./history-reader.ts";
export * from "./history-schemas.ts";
export * from "./history-transfer.ts";
export * from "./history-writer.ts";
export * from "./migrate.ts";
