/** Bits per key: with 8 probes in one 512-bit block, about 0.5% false positives per layer. */
const BITS_PER_KEY = 12;
const PROBES = 8;
/** 16 × 32 bits: one 64-byte cache line, so a lookup touches one line of a large filter. */
const BLOCK_WORDS = 16;
const FIRST_CAPACITY = 1 << 16;

interface Layer {
  readonly words: Uint32Array;
  /** Number of blocks − 1 (a power of two − 1). */
  readonly blockMask: number;
  readonly capacity: number;
  count: number;
}

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = 10 + i;

/**
 * A blocked Bloom filter of event-id keys as the SQLite store stores them (schema 4): a
 * canonical UUID hashes as its 16 bytes, whether given as its text or as the stored BLOB;
 * any other id as its text. It never answers "absent" for a key it was given; it answers
 * "maybe" for about 0.5% of the others, which the store then looks up in `event_ids`.
 *
 * It grows by adding a layer of twice the capacity when the newest is full (a key is in
 * one layer, a lookup asks each: ~log2(n / 65,536) layers), at ~12 bits (1.5 bytes) a key.
 *
 * @example
 * const f = new IdFilter();
 * f.addId(randomUUID(), true);
 * f.mayContainId(randomUUID(), true); // false, or rarely true
 */
export class IdFilter {
  readonly #layers: Layer[] = [];
  #h1 = 0;
  #h2 = 0;

  /** How many keys were added. */
  get size(): number {
    let n = 0;
    for (const l of this.#layers) n += l.count;
    return n;
  }

  /** Add an event id; `uuid`: whether it is a canonical UUID (`isCanonicalUuid`), stored as 16 bytes. */
  addId(id: string, uuid: boolean): void {
    this.#hashId(id, uuid);
    this.#add();
  }

  /** Add a stored key (`event_ids.event_id`): the 16 bytes of a UUID, or the text of another id. */
  addKey(key: string | Uint8Array): void {
    if (typeof key === 'string') this.#hashId(key, false);
    else this.#hashBytes(key);
    this.#add();
  }

  /** False when the id was certainly never added; true when it may have been. */
  mayContainId(id: string, uuid: boolean): boolean {
    this.#hashId(id, uuid);
    const h2 = this.#h2;
    const step = ((h2 >>> 16) | 1) >>> 0;
    for (const layer of this.#layers) {
      const base = (this.#h1 & layer.blockMask) * BLOCK_WORDS;
      let all = true;
      for (let i = 0; i < PROBES && all; i++) {
        const bit = (h2 + Math.imul(i, step)) & 511;
        all = (layer.words[base + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
      }
      if (all) return true;
    }
    return false;
  }

  #add(): void {
    let layer = this.#layers[this.#layers.length - 1];
    if (!layer || layer.count >= layer.capacity) {
      const capacity = layer ? layer.capacity * 2 : FIRST_CAPACITY;
      const blocks = 2 ** Math.ceil(Math.log2((capacity * BITS_PER_KEY) / (BLOCK_WORDS * 32)));
      layer = { words: new Uint32Array(blocks * BLOCK_WORDS), blockMask: blocks - 1, capacity, count: 0 };
      this.#layers.push(layer);
    }
    const base = (this.#h1 & layer.blockMask) * BLOCK_WORDS;
    const h2 = this.#h2;
    const step = ((h2 >>> 16) | 1) >>> 0;
    for (let i = 0; i < PROBES; i++) {
      const bit = (h2 + Math.imul(i, step)) & 511;
      layer.words[base + (bit >>> 5)]! |= 1 << (bit & 31);
    }
    layer.count++;
  }

  /** Two 32-bit hashes of a stored key's bytes (FNV-1a steps, then murmur3's finaliser). */
  #hashBytes(key: Uint8Array): void {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      a = Math.imul(a ^ key[i]!, 0x01000193);
      b = Math.imul(b ^ key[i]!, 0x5bd1e995);
    }
    this.#finish(a, b);
  }

  /** The same hashes of an id as text: a canonical UUID's 16 bytes read from its hex. */
  #hashId(id: string, uuid: boolean): void {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    if (uuid) {
      for (let i = 0; i < 36; i += 2) {
        if (id.charCodeAt(i) === 45) i++; // the hyphen before this pair
        const byte = (HEX[id.charCodeAt(i)]! << 4) | HEX[id.charCodeAt(i + 1)]!;
        a = Math.imul(a ^ byte, 0x01000193);
        b = Math.imul(b ^ byte, 0x5bd1e995);
      }
    } else {
      // Text ids never equal a BLOB key: another start keeps the two apart.
      a ^= 0x5a5a5a5a;
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
      }
    }
    this.#finish(a, b);
  }

  #finish(a: number, b: number): void {
    this.#h1 = fmix(a);
    this.#h2 = fmix(b ^ this.#h1);
  }
}
function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
