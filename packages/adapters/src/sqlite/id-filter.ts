/** Bits per id at least (rounded up to a power-of-two number of blocks: 16 in practice). */
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

/**
 * A blocked Bloom filter of event ids (their text; the store gives the ids of stored BLOB
 * keys in canonical form). It never answers "absent" for an id it was given; it answers
 * "maybe" for a few in a thousand others, which the store then looks up in `event_ids`.
 *
 * It grows by adding a layer of twice the capacity when the newest is full (an id is in
 * one layer, a lookup asks each: ~log2(n / 65,536) layers). A layer has 16 bits (2 bytes)
 * per id it can hold, so the filter takes 2–4 bytes an id (2 MB for a million ids at most 4).
 *
 * @example
 * const f = new IdFilter();
 * f.add(randomUUID());
 * f.mayContain(randomUUID()); // false, or rarely true
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

  /** Add an event id. */
  add(id: string): void {
    this.#hash(id);
    this.#add();
  }

  /** False when the id was certainly never added; true when it may have been. */
  mayContain(id: string): boolean {
    this.#hash(id);
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

  /** Two 32-bit hashes of the id's characters (FNV-1a steps, then murmur3's finaliser). */
  #hash(id: string): void {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
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
