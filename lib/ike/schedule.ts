// One sorted schedule for every timer of every SA (retransmission, half-open
// timeout, DPD, rekey, expiry): an indexed binary min-heap of items ordered
// by their wake-up time. An item has one wake-up time at a time (the
// earliest of its own deadlines, which it computes itself) and is in the heap
// at most once, so 100,000 SAs cost 100,000 entries, no closure and no Node
// timer each; a deleted SA leaves the heap at once (nothing keeps it alive).
// The host arms ONE real timer for nextDeadline().

export interface Schedulable {
  /** When the item wakes (ms, the schedule's clock); 0 = not scheduled. Owned by the schedule. */
  wakeAt: number;
  /** Position in the heap, -1 when not in it. Owned by the schedule. */
  heapIndex: number;
}

export class Schedule<T extends Schedulable> {
  private readonly heap: T[] = [];

  /** Items scheduled. */
  get size(): number {
    return this.heap.length;
  }

  /** Sets when `item` wakes next; `at` = 0 cancels. O(log n). */
  arm(item: T, at: number): void {
    if (at === 0) {
      this.cancel(item);
      return;
    }
    const before = item.wakeAt;
    item.wakeAt = at;
    if (item.heapIndex < 0) {
      item.heapIndex = this.heap.length;
      this.heap.push(item);
      this.up(item.heapIndex);
    } else if (at < before) {
      this.up(item.heapIndex);
    } else if (at > before) {
      this.down(item.heapIndex);
    }
  }

  /** Takes the item out of the schedule. O(log n). */
  cancel(item: T): void {
    item.wakeAt = 0;
    const i = item.heapIndex;
    if (i < 0) return;
    item.heapIndex = -1;
    const last = this.heap.pop() as T;
    if (i === this.heap.length) return;
    this.heap[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(last.heapIndex);
  }

  /** The earliest wake-up time, or undefined when nothing is scheduled. */
  nextDeadline(): number | undefined {
    return this.heap[0]?.wakeAt;
  }

  /**
   * Removes and returns, one by one, the items whose wake-up time is <= now.
   * The caller handles each and re-arms it if it still has deadlines.
   */
  popDue(now: number): T | undefined {
    const top = this.heap[0];
    if (top === undefined || top.wakeAt > now) return undefined;
    this.cancel(top);
    return top;
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as T;
      if (p.wakeAt <= item.wakeAt) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i] as T;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (heap[r] as T).wakeAt < (heap[l] as T).wakeAt ? r : l;
      const child = heap[c] as T;
      if (child.wakeAt >= item.wakeAt) break;
      heap[i] = child;
      child.heapIndex = i;
      i = c;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
