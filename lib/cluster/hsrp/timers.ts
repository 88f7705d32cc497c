// Injected time for the HSRP state machine: the real clock in the daemon, a
// virtual clock in tests (test/support/virtual-clock.ts) so failover logic
// runs in virtual time.
export type TimerHandle = unknown;

export interface Timers {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
