// One sorted schedule for every timer of every SA (retransmission, half-open
// timeout, DPD, rekey, expiry): a binary min-heap of (deadline, item) pairs.
// An item has one wake-up time at a time (the earliest of its own deadlines,
// which it computes itself), so 100,000 SAs cost 100,000 heap entries and no
// closure or Node timer each. The host arms ONE real timer for nextDeadline().
//
// Moving a wake-up later does not touch the heap: the old entry fires, sees
// the item wants to wake later, and re-queues it. Moving it earlier pushes a
// new entry; the stale later one is recognised and skipped when it surfaces.

export interface Schedulable {
  /** When the item wants to wake (ms, the schedule's clock); 0 = never. Owned by the schedule. */
  wakeAt: number;
  /** The time of the item's live heap entry, 0 if none. Owned by the schedule. */
  queuedAt: number;
}

export class Schedule<T extends Schedulable> {
  private readonly times: number[] = [];
  private readonly items: T[] = [];

  /** Entries in the heap, stale ones included (for tests and metrics). */
  get size(): number {
    return this.times.length;
  }

  /** Sets when `item` wakes next; `at` = 0 cancels. */
  arm(item: T, at: number): void {
    item.wakeAt = at;
    if (at === 0) return;
    if (item.queuedAt === 0 || at < item.queuedAt) {
      item.queuedAt = at;
      this.push(at, item);
    }
  }

  cancel(item: T): void {
    item.wakeAt = 0;
  }

  /** The earliest entry's time (possibly a stale one: waking early is harmless), or undefined. */
  nextDeadline(): number | undefined {
    return this.times[0];
  }

  /**
   * Removes and returns, one by one, the items whose wake-up time is <= now.
   * The caller handles each and re-arms it if it still has deadlines.
   */
  popDue(now: number): T | undefined {
    while (this.times.length > 0) {
      const at = this.times[0] as number;
      if (at > now) return undefined;
      const item = this.pop();
      if (at !== item.queuedAt) continue; // superseded by an earlier entry that already surfaced
      item.queuedAt = 0;
      if (item.wakeAt === 0) continue; // cancelled
      if (item.wakeAt > now) {
        item.queuedAt = item.wakeAt; // moved later: queue it again at its new time
        this.push(item.wakeAt, item);
        continue;
      }
      item.wakeAt = 0;
      return item;
    }
    return undefined;
  }

  private push(at: number, item: T): void {
    const times = this.times;
    const items = this.items;
    let i = times.length;
    times.push(at);
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt <= at) break;
      times[i] = pt;
      items[i] = items[parent] as T;
      i = parent;
    }
    times[i] = at;
    items[i] = item;
  }

  private pop(): T {
    const times = this.times;
    const items = this.items;
    const top = items[0] as T;
    const lastTime = times.pop() as number;
    const lastItem = items.pop() as T;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (times[r] as number) < (times[l] as number) ? r : l;
        if ((times[c] as number) >= lastTime) break;
        times[i] = times[c] as number;
        items[i] = items[c] as T;
        i = c;
      }
      times[i] = lastTime;
      items[i] = lastItem;
    }
    return top;
  }
}
