// A Clock whose time moves only when the test says so: timers fire in due
// order during advance(), so state machines built on injected timers
// (holdtime, hello, deadlines) are tested without waiting.
import type { Clock, TimerHandle } from '../../lib/cluster/clb/clock';

interface PendingTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

export class VirtualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Timers not yet fired (a component that stopped must leave none). */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by ms, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: PendingTimer | undefined;
      for (const t of this.timers.values()) if (t.due <= end && (next === undefined || t.due < next.due || (t.due === next.due && t.id < next.id))) next = t;
      if (next === undefined) break;
      this.timers.delete(next.id);
      this.time = next.due;
      next.callback();
    }
    this.time = end;
  }
}
