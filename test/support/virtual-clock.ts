// A virtual clock for state machines with injected timers: time moves only
// when a test calls advance(), and timers fire in order of due time (then of
// arming), so failover logic is tested without waiting.
import type { TimerHandle, Timers } from '../../lib/cluster/hsrp/timers';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

export class VirtualClock implements Timers {
  private time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.set(id, { id, due: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** Number of armed timers. */
  get armed(): number {
    return this.pending.size;
  }

  /** Moves time forward by ms, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values()) {
        if (p.due <= end && (next === undefined || p.due < next.due || (p.due === next.due && p.id < next.id))) next = p;
      }
      if (next === undefined) break;
      this.pending.delete(next.id);
      this.time = next.due;
      next.fn();
    }
    this.time = end;
  }

  /** Advances until `done()` holds or `limitMs` passes; returns the time it took. */
  advanceUntil(done: () => boolean, limitMs: number, stepMs = 1): number {
    const start = this.time;
    while (!done() && this.time - start < limitMs) this.advance(stepMs);
    return this.time - start;
  }
}
