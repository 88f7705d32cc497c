// An open-addressing hash table from 64-bit SPIs to values (as two signed
// 32-bit halves, V8 small integers): keys in two typed arrays, linear probing, backward-shift deletion (no tombstones),
// grown at half load. A lookup reads the key words and, on a hit, one array
// slot: a couple of cache lines whether it holds a thousand SAs or a
// hundred thousand (V8's Map over 100,000 entries costs several times more
// on this kind of machine, bench/handshake measures both sizes).
export class SpiIndex<T> {
  private capacity = 1024;
  private mask = 1023;
  private his = new Int32Array(1024);
  private los = new Int32Array(1024);
  private values: (T | undefined)[] = new Array<T | undefined>(1024).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  private home(hi: number, lo: number): number {
    // SPIs are random, but mix both words so a peer cannot aim at one chain.
    return ((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) & this.mask;
  }

  get(hi: number, lo: number): T | undefined {
    let i = this.home(hi, lo);
    for (;;) {
      const v = this.values[i];
      if (v === undefined) return undefined;
      if (this.los[i] === lo && this.his[i] === hi) return v;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds a key that is not present (callers check with get first). */
  set(hi: number, lo: number, value: T): void {
    if ((this.count + 1) * 2 > this.capacity) this.grow();
    let i = this.home(hi, lo);
    while (this.values[i] !== undefined) i = (i + 1) & this.mask;
    this.his[i] = hi;
    this.los[i] = lo;
    this.values[i] = value;
    this.count++;
  }

  delete(hi: number, lo: number): boolean {
    let i = this.home(hi, lo);
    for (;;) {
      if (this.values[i] === undefined) return false;
      if (this.los[i] === lo && this.his[i] === hi) break;
      i = (i + 1) & this.mask;
    }
    // Backward shift: pull later members of the probe chain into the hole.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const v = this.values[j];
      if (v === undefined) break;
      const k = this.home(this.his[j] as number, this.los[j] as number);
      const between = hole <= j ? k > hole && k <= j : k > hole || k <= j;
      if (between) continue;
      this.his[hole] = this.his[j] as number;
      this.los[hole] = this.los[j] as number;
      this.values[hole] = v;
      hole = j;
    }
    this.values[hole] = undefined;
    this.count--;
    return true;
  }

  private grow(): void {
    const { his, los, values, capacity } = this;
    this.capacity = capacity * 2;
    this.mask = this.capacity - 1;
    this.his = new Int32Array(this.capacity);
    this.los = new Int32Array(this.capacity);
    this.values = new Array<T | undefined>(this.capacity).fill(undefined);
    this.count = 0;
    for (let i = 0; i < capacity; i++) {
      const v = values[i];
      if (v !== undefined) this.set(his[i] as number, los[i] as number, v);
    }
  }
}
