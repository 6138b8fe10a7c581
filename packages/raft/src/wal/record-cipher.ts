/**
 * Encryption at rest for WAL records and snapshot files. The WAL knows only this interface; the
 * caller chooses the key and where it lives. `aesGcmRecordCipher` is the standard choice:
 * AES-256-GCM with a random 96-bit nonce per record (sealed = nonce ‖ ciphertext ‖ tag), so a
 * changed byte fails authentication instead of decoding into something else.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { RaftError } from "../errors.ts";

export interface RecordCipher {
  seal(plain: Uint8Array): Uint8Array;
  /** Throws RaftError("wal-locked") when the bytes were not sealed with this key. */
  open(sealed: Uint8Array): Uint8Array;
}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function aesGcmRecordCipher(key: Uint8Array): RecordCipher {
  if (key.length !== KEY_BYTES)
    throw new RangeError(`an AES-256-GCM key is ${KEY_BYTES} bytes, got ${key.length}`);
  const k = Buffer.from(key);
  return {
    seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const c = createCipheriv("aes-256-gcm", k, nonce);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    open(sealed) {
      if (sealed.length < NONCE_BYTES + TAG_BYTES) throw wrongKey(`only ${sealed.length} bytes`);
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
      const d = createDecipheriv("aes-256-gcm", k, buf.subarray(0, NONCE_BYTES));
      d.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
      try {
        return Buffer.concat([d.update(buf.subarray(NONCE_BYTES, buf.length - TAG_BYTES)), d.final()]);
      } catch {
        throw wrongKey("authentication failed");
      }
    },
  };
}

function wrongKey(what: string): RaftError {
  return new RaftError("wal-locked", `encrypted Raft data does not open with the given key (${what})`);
}

/** For data sealed on disk but no key given. */
export function noKeyError(what: string): RaftError {
  return new RaftError("wal-locked", `${what} is encrypted and no data key was given to read it`);
}
