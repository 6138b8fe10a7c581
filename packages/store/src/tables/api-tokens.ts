import type { ApiToken } from "../objects/api-token.ts";
import { Table } from "./table.ts";
import { TableReader } from "./table-reader.ts";

export function createApiTokenTable(): Table<ApiToken> {
  return new Table<ApiToken>({
    kind: "apiToken",
    // Token names are unique per user.
    uniqueName: (o) => `${o.spec.userId}/${o.spec.name}`,
    indexes: { user: (o) => o.spec.userId, hash: (o) => o.tokenHash },
  });
}

export class ApiTokenReader extends TableReader<ApiToken> {
  byUser(userId: string): ApiToken[] {
    return this.find("user", userId);
  }

  /** The token whose secret hashes to `tokenHash` (SHA-256 hex), if any. */
  byHash(tokenHash: string): ApiToken | undefined {
    return this.find("hash", tokenHash)[0];
  }

  byName(userId: string, name: string): ApiToken | undefined {
    return this.byUniqueName(`${userId}/${name}`);
  }
}
