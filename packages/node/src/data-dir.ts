/**
 * Where a node keeps its state under its data directory (see the README's "Data directory").
 * Nothing else in the package builds these paths.
 */
import { join } from "node:path";

export interface DataDirLayout {
  readonly root: string;
  /** The Raft write-ahead log and snapshots (@shoal/raft/wal: wal/ and snap/ inside). */
  readonly raft: string;
  /** A manager's Raft data-encryption key, plain or sealed with the unlock key (autolock/). */
  readonly dataKeyFile: string;
  /** Node key, certificate chain and the trusted root CA (@shoal/ca key store). */
  readonly certificates: string;
  /** The node state file: node id, cluster id, role, raft id, known manager addresses. */
  readonly stateFile: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    raft: join(root, "raft"),
    dataKeyFile: join(root, "raft-data-key.json"),
    certificates: join(root, "certificates"),
    stateFile: join(root, "node-state.json"),
  };
}
