/** Source of random bytes; injected so tests and the simulator get the same ids from one seed. */
export type RandomBytes = (length: number) => Uint8Array;

/** Named limit: bytes of randomness in an id (swarm's). */
export const ID_RANDOM_BYTES = 17;
/**
 * 25 base36 digits hold 128 bits. The 17th byte fills the high digits evenly: with the top bit
 * set, 136 bits always print as 27 digits; the first is dropped and the next 25 kept.
 */
export const ID_LENGTH = 25;

/** Makes object ids: 25 base36 characters from 17 random bytes, as swarm's identity package. */
export function createIdGenerator(randomBytes: RandomBytes): () => string {
  return () => {
    const bytes = randomBytes(ID_RANDOM_BYTES);
    if (bytes.length !== ID_RANDOM_BYTES) throw new Error(`id generator: expected ${ID_RANDOM_BYTES} bytes`);
    let n = 1n;
    for (const b of bytes) n = (n << 8n) | BigInt(b);
    // With a leading 1 bit the number has 137 bits: always 27 base36 digits.
    return n.toString(36).slice(1, ID_LENGTH + 1);
  };
}

/**
 * Draws from `source` in blocks of `poolBytes` and hands out slices, so making an id does not
 * cost a call into the operating system's random source each time (5% of creating 100,000 tasks).
 */
export function pooledRandomBytes(source: RandomBytes, poolBytes = 4096): RandomBytes {
  let pool: Uint8Array = new Uint8Array(0);
  let pos = 0;
  return (length) => {
    if (length > poolBytes) return source(length);
    if (pos + length > pool.length) {
      pool = source(poolBytes);
      pos = 0;
    }
    const out = pool.slice(pos, pos + length);
    pos += length;
    return out;
  };
}

/** A deterministic byte source for tests and simulation (xorshift32 from a seed). */
export function seededRandomBytes(seed: number): RandomBytes {
  let state = seed >>> 0 || 0x9e3779b9;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}
