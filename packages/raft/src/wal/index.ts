export type { WalState } from "./load-state.ts";
export { type OpenedWal, openWal } from "./open-wal.ts";
export { DEFAULT_WAL_OPTIONS, type WalHooks, type WalOptions } from "./options.ts";
export { aesGcmRecordCipher, type RecordCipher } from "./record-cipher.ts";
export { Wal, type WalStats } from "./wal.ts";
