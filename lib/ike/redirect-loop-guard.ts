// The client's redirect loop guard: at most `max-redirects` redirects within
// a sliding window of 300 seconds. RFC 5685 §10 asks clients to detect
// redirect loops; strongSwan ("only 5 redirects are allowed within 300
// seconds") and libreswan ("redirect loop") both use this rule.

/** Window of the loop guard (strongSwan's and libreswan's value). */
export const redirectWindowMs = 300_000;

export class RedirectLoopGuard {
  private readonly times: number[] = [];

  constructor(
    private readonly maxRedirects: number,
    private readonly windowMs: number = redirectWindowMs,
  ) {}

  /**
   * Records a redirect at `now` if one more is allowed and returns true;
   * returns false (recording nothing) when following it would exceed the limit.
   */
  allow(now: number): boolean {
    while (this.times.length > 0 && now - (this.times[0] as number) >= this.windowMs) this.times.shift();
    if (this.times.length >= this.maxRedirects) return false;
    this.times.push(now);
    return true;
  }

  /** Redirects followed within the window ending at `now`. */
  count(now: number): number {
    return this.times.filter((t) => now - t < this.windowMs).length;
  }
}
