/**
 * The keys that protect a manager's data at rest: the Raft data key (./data-key-file.ts) and the
 * key-encrypting key (KEK, from the cluster's unlock key) that, under autolock, encrypts both the
 * data key and the node's TLS private key. The KEK is never written to disk; after a restart a
 * manager whose files are encrypted is *locked* until `unlock` is given the key. Workers keep no
 * data key and are never locked.
 */
import { isNodeKeyEncrypted, type KeyFileEncryption, readNodeCredentials } from "@shoal/ca";
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

  /** Whether this node's files need an unlock key before they can be read. */
  async isLocked(): Promise<boolean> {
    if (this.kekInUse) return false;
    const stored = await readDataKeyFile(this.paths.dataKeyFile);
    return (
      (stored !== undefined && "sealed" in stored) || (await isNodeKeyEncrypted(this.paths.certificates))
    );
  }

  /** Opens the data key and the TLS key with `kek`; false (nothing changed) when it does not open them. */
  async unlock(kek: Uint8Array): Promise<boolean> {
    try {
      const stored = await readDataKeyFile(this.paths.dataKeyFile);
      const dataKey =
        stored === undefined
          ? undefined
          : "sealed" in stored
            ? unsealDataKey(stored.sealed, kek)
            : stored.plain;
      await readNodeCredentials(this.paths.certificates, { kek });
      this.dataKey = dataKey;
      this.kekInUse = kek;
      return true;
    } catch {
      return false;
    }
  }

  /** How the node key file is written now: encrypted while a KEK is in use. */
  keyFileEncryption(): KeyFileEncryption {
    return this.kekInUse ? { kek: this.kekInUse } : {};
  }

  /** The KEK the files are encrypted with now; undefined when they are not. */
  get kek(): Uint8Array | undefined {
    return this.kekInUse;
  }

  /** The cipher for the Raft WAL and snapshots; makes (and stores) the data key on first use. */
  async walCipher(): Promise<RecordCipher> {
    if (!this.dataKey) {
      const stored = await readDataKeyFile(this.paths.dataKeyFile);
      if (stored && "sealed" in stored) throw new Error("the Raft data key is sealed: unlock the node first");
      this.dataKey = stored?.plain;
    }
    if (!this.dataKey) {
      this.dataKey = newDataKey();
      await writeDataKeyFile(this.paths.dataKeyFile, this.dataKey, this.kekInUse);
    }
    return aesGcmRecordCipher(this.dataKey);
  }

  /**
   * Re-encrypts the data key and the TLS key with `kek` (autolock on, or a rotated key), or
   * stores them plain (`undefined`: autolock off). The TLS key is written first: a crash in
   * between leaves at worst a key file that the new KEK opens and a data key file that the old
   * one opens, and a later pass rewrites it.
   */
  async protectWith(
    kek: Uint8Array | undefined,
    writeNodeKey: (encryption: KeyFileEncryption) => Promise<void>,
  ): Promise<void> {
    await writeNodeKey(kek ? { kek } : {});
    if (this.dataKey) await writeDataKeyFile(this.paths.dataKeyFile, this.dataKey, kek);
    this.kekInUse = kek;
  }

  /** Drops the data key (demotion, leaving the swarm): a worker has no Raft data. */
  async forget(): Promise<void> {
    this.dataKey = undefined;
    this.kekInUse = undefined;
    await removeDataKeyFile(this.paths.dataKeyFile);
  }
}
