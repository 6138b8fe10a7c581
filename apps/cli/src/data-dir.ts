/** The local node's data directory: --data-dir, else SHOAL_DATA_DIR, else ./.data. */
import { resolve } from "node:path";

export function dataDirFrom(value: string | undefined): string {
  return resolve(value ?? process.env.SHOAL_DATA_DIR ?? ".data");
}
