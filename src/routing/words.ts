/**
 * The matcher's memory: one Int32Array per table holding every bucket and path-tree node as a
 * run of 32-bit words, with the text it compares (path segments, wildcard host suffixes) packed
 * inside, two UTF-16 units per word. A lookup in a table far bigger than the CPU caches pays for every
 * distinct place in memory it reads; here a node, its text, its leaves and its children's keys
 * sit next to each other, and a bucket's nodes follow each other in the order a lookup visits
 * them, where a tree of objects, Maps and strings scatters them over the heap.
 *
 * Offset 0 is never a record, so 0 stands for "none" in offset fields.
 */

/** Growable word buffer used while a table is built. */
export class WordWriter {
  private words = new Int32Array(256);
  private used = 1;

  /** Reserves `count` zeroed words and returns the offset of the first. */
  reserve(count: number): number {
    const at = this.used;
    const needed = at + count;
    if (needed > this.words.length) {
      let size = this.words.length * 2;
      while (size < needed) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.words.subarray(0, at));
      this.words = grown;
    }
    this.used = needed;
    return at;
  }

  set(at: number, value: number): void {
    this.words[at] = value;
  }

  /** Writes `text` packed two units per word from `at` (textWords(text.length) words). */
  setText(at: number, text: string): void {
    for (let k = 0; k < text.length; k += 2) {
      const low = text.charCodeAt(k);
      const high = k + 1 < text.length ? text.charCodeAt(k + 1) : 0;
      this.words[at + (k >> 1)] = low | (high << 16);
    }
  }

  /** The words written, in an array of exactly that length. */
  finish(): Int32Array {
    return this.words.slice(0, this.used);
  }
}

/** Words taken by a packed text of `length` UTF-16 units. */
export function textWords(length: number): number {
  return (length + 1) >> 1;
}

/**
 * True when the packed text of `length` units at `at` equals `s` from `from`; the caller has
 * checked that `s` is long enough. hot path: no allocation.
 */
export function textEquals(words: Int32Array, at: number, length: number, s: string, from: number): boolean {
  let k = 0;
  // two units per comparison, packed as setText packs them
  for (; k + 1 < length; k += 2) {
    if (words[at + (k >> 1)] !== (s.charCodeAt(from + k) | (s.charCodeAt(from + k + 1) << 16))) return false;
  }
  return k === length || (words[at + (k >> 1)]! & 0xffff) === s.charCodeAt(from + k);
}

/**
 * Hash of `s` from `from` to `to`: FNV-1a over UTF-16 units, spread over all 32 bits by
 * murmur3's finaliser so that keys differing only in their last units (`svc1`, `svc2`) do not
 * fill neighbouring slots of a probing table. hot path: no allocation.
 */
export function hashText(s: string, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Slots of an open-addressing table for `count` keys: a power of two, at most half full. */
export function slotCount(count: number): number {
  let size = 2;
  while (size < count * 2) size *= 2;
  return size;
}
