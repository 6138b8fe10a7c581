/**
 * The keys that protect a manager's data at rest: the Raft data key (./data-key-file.ts) and the
 * key-encrypting key (KEK, from the cluster's unlock key). Under autolock the data key file is
 * sealed with the KEK and the node's TLS private key is encrypted with the data key, so the KEK
 * unlocks both while a rotation rewrites one file only (atomically: a crash leaves the old key or
 * the new one working, never neither). Switching autolock on writes the data key file first,
 * switching it off the TLS key first, so a crash in between leaves a node that the key unlocks.
 * The KEK is never written to disk; after a restart a manager whose data key is sealed is
 * *locked* until `unlock` is given the key. Workers keep no data key and are never locked.
 */
import { type KeyFileEncryption, readNodeCredentials } from "@shoal/ca";
import { aesGcmRecordCipher, type RecordCipher } from "@shoal/raft/wal";
import {
  newDataKey,
  readDataKeyFile,
  removeDataKeyFile,
  unsealDataKey,
  writeDataKeyFile,
} from "./data-key-file.ts";

export interface ManagerKeyPaths {
  readonly dataKeyFile: string;
  readonly certificates: string;
}

export class ManagerKeys {
  private kekInUse: Uint8Array | undefined;
  private dataKey: Uint8Array | undefined;

  constructor(private readonly paths: ManagerKeyPaths) {}

  /** Whether this node's data key is sealed: it needs the unlock key before anything can be read. */
  async isLocked(): Promise<boolean> {
    if (this.dataKey) return false;
    const stored = await readDataKeyFile(this.paths.dataKeyFile);
    return stored !== undefined && "sealed" in stored;
  }

  /** Opens the data key (and through it the TLS key) with `kek`; false when `kek` does not open it. */
  async unlock(kek: Uint8Array): Promise<boolean> {
    const stored = await readDataKeyFile(this.paths.dataKeyFile);
    if (stored === undefined || !("sealed" in stored)) return false;
    let dataKey: Uint8Array;
    try {
      dataKey = unsealDataKey(stored.sealed, kek);
    } catch {
      return false;
    }
    await readNodeCredentials(this.paths.certificates, { kek: dataKey });
    this.dataKey = dataKey;
    this.kekInUse = kek;
    return true;
  }

  /** How the node key file is read: an encrypted one opens with the data key. */
  async keyFileDecryption(): Promise<KeyFileEncryption> {
    await this.loadDataKey();
    return this.dataKey ? { kek: this.dataKey } : {};
  }

  /** How the node key file is written now: encrypted with the data key while autolock is in force. */
  keyFileEncryption(): KeyFileEncryption {
    return this.kekInUse && this.dataKey ? { kek: this.dataKey } : {};
  }

  /** The KEK the data key is sealed with now; undefined when it is stored plain. */
  get kek(): Uint8Array | undefined {
    return this.kekInUse;
  }

  /** The cipher for the Raft WAL and snapshots; makes (and stores) the data key on first use. */
  async walCipher(): Promise<RecordCipher> {
    await this.loadDataKey();
    if (!this.dataKey) {
      this.dataKey = newDataKey();
      await writeDataKeyFile(this.paths.dataKeyFile, this.dataKey, this.kekInUse);
    }
    return aesGcmRecordCipher(this.dataKey);
  }

  /**
   * Seals the data key with `kek` and encrypts the TLS key with the data key (autolock on, or a
   * rotated key: then only the data key file changes), or stores both plain (`undefined`).
   */
  async protectWith(
    kek: Uint8Array | undefined,
    writeNodeKey: (encryption: KeyFileEncryption) => Promise<void>,
  ): Promise<void> {
    await this.walCipher();
    const dataKey = this.dataKey as Uint8Array;
    if (kek) {
      await writeDataKeyFile(this.paths.dataKeyFile, dataKey, kek);
      await writeNodeKey({ kek: dataKey });
    } else {
      await writeNodeKey({});
      await writeDataKeyFile(this.paths.dataKeyFile, dataKey);
    }
    this.kekInUse = kek;
  }

  /** Drops the data key (demotion, leaving the swarm): a worker has no Raft data. */
  async forget(): Promise<void> {
    this.dataKey = undefined;
    this.kekInUse = undefined;
    await removeDataKeyFile(this.paths.dataKeyFile);
  }

  private async loadDataKey(): Promise<void> {
    if (this.dataKey) return;
    const stored = await readDataKeyFile(this.paths.dataKeyFile);
    if (stored && "sealed" in stored) throw new Error("the Raft data key is sealed: unlock the node first");
    this.dataKey = stored?.plain;
  }
}
