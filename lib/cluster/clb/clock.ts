// Time as the CLB state machines see it. Everything that waits (hello and
// update intervals, holdtime expiry, the handshake deadline, reconnect
// back-off) goes through a Clock, so the same code runs on real time in the
// daemon and on virtual time in tests (test/support/virtual-clock.ts). The
// interface is HSRP's injected Timers: one clock for the whole cluster layer.
import { realTimers, type TimerHandle, type Timers } from '../hsrp/timers';

export type { TimerHandle } from '../hsrp/timers';
export type Clock = Timers;

/** Real time (performance.now(): wall-clock steps never expire a member). */
export const systemClock: Clock = realTimers;

/** A repeating timer built on a Clock; stop() is idempotent. */
export class Ticker {
  private handle: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onTick: () => void,
  ) {}

  /** Starts ticking; the first tick comes after one interval. */
  start(): this {
    this.stopped = false;
    this.schedule();
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    this.handle = this.clock.setTimeout(() => {
      if (this.stopped) return;
      this.schedule();
      this.onTick();
    }, this.intervalMs);
  }
}
