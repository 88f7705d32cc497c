// Time as the CLB state machines see it. Everything that waits (hello and
// update intervals, holdtime expiry, the handshake deadline, reconnect
// back-off) goes through a Clock, so the same code runs on real time in the
// daemon and on virtual time in tests.

/** Whatever the clock's setTimeout returned; only handed back to clearTimeout. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Real time: performance.now() so wall-clock steps (NTP) never expire a member. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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
