/**
 * A hash table from ids, given as UTF-8 bytes, to dense row numbers 0, 1, 2... in first-seen order.
 *
 * Why not a `Map<string, ...>`: a join over millions of ids would make a JS string and a map entry per id
 * (about 100 bytes each, and most of the join's time). Here an id costs its bytes in one arena plus 16 bytes
 * of typed arrays, and ids read from a file are hashed and compared where they lie in the read buffer,
 * never turned into strings. Open addressing with linear probing, at most half full.
 */
export class IdTable {
  /** two ints per slot: the id's hash, then row + 1 (0: empty); the hash beside the row spares a cache miss */
  private slots = new Int32Array(2048);
  private mask = 1023;
  private hashes = new Int32Array(512);
  /** row r's id is arena[ends[r - 1] .. ends[r]) (ends[-1] being 0) */
  private ends = new Int32Array(512);
  private arena = new Uint8Array(1 << 16);
  private rows = 0;
  /** whether the last `upsert` added a new row */
  added = false;

  /** number of distinct ids */
  get size(): number {
    return this.rows;
  }

  /** The row of an id, or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) return -1;
      if (slots[2 * slot] === hash && this.sameId(entry - 1, bytes, start, end)) return entry - 1;
    }
  }

  /**
   * The row of an id, added when new (`added` tells which); -1, adding nothing, when the id is new and the
   * table already holds `limit` ids.
   */
  upsert(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    limit = Number.POSITIVE_INFINITY,
  ): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1]!;
      if (entry === 0) break;
      if (slots[2 * slot] === hash && this.sameId(entry - 1, bytes, start, end)) {
        this.added = false;
        return entry - 1;
      }
    }
    const row = this.rows;
    if (row >= limit) return -1;
    if (row === this.hashes.length) this.growRows();
    const from = row === 0 ? 0 : this.ends[row - 1]!;
    const length = end - start;
    if (from + length > this.arena.length) this.growArena(from + length);
    // ids are short: a loop beats making a subarray view per id
    const arena = this.arena;
    for (let i = start, j = from; i < end; i++, j++) arena[j] = bytes[i]!;
    this.ends[row] = from + length;
    this.hashes[row] = hash;
    this.rows = row + 1;
    this.added = true;
    if (this.rows * 4 > this.slots.length) this.growSlots();
    else {
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = row + 1;
    }
    return row;
  }

  /** The id bytes of a row (a view into the arena, valid until the next upsert or clear). */
  idBytes(row: number): Uint8Array {
    return this.arena.subarray(row === 0 ? 0 : this.ends[row - 1]!, this.ends[row]!);
  }

  hashOf(row: number): number {
    return this.hashes[row]!;
  }

  /** Forgets every id, keeping the memory for the next use. */
  clear(): void {
    this.slots.fill(0);
    this.rows = 0;
  }

  private sameId(row: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = row === 0 ? 0 : this.ends[row - 1]!;
    const to = this.ends[row]!;
    if (to - from !== end - start) return false;
    const arena = this.arena;
    for (let i = from, j = start; i < to; i++, j++) if (arena[i] !== bytes[j]) return false;
    return true;
  }

  private growRows(): void {
    const capacity = this.hashes.length * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    this.hashes = hashes;
    this.ends = ends;
  }

  private growArena(needed: number): void {
    let capacity = this.arena.length * 2;
    while (capacity < needed) capacity *= 2;
    const arena = new Uint8Array(capacity);
    arena.set(this.arena);
    this.arena = arena;
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length / 2 - 1;
    for (let row = 0; row < this.rows; row++) {
      const hash = this.hashes[row]!;
      let slot = hash & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = row + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** FNV-1a over the bytes, then murmur3's finalizer so every bit of the result depends on every byte. */
export const hashBytes = (bytes: Uint8Array, start: number, end: number): number => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return mix32(h);
};

/** murmur3's 32-bit finalizer */
export const mix32 = (value: number): number => {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
};
