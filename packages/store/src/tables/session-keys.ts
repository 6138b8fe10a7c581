import type { SessionKey } from "../objects/session-key.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createSessionKeyTable(): Table<SessionKey> {
  return new Table<SessionKey>({ kind: "sessionKey", indexes: {} });
}

export class SessionKeyReader extends TableReader<SessionKey> {}
