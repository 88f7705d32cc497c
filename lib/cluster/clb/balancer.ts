// The LLG over the live table: chooseLeastLoaded() (pure) fed with projected
// loads, plus the memory the hysteresis needs (the previous target).
// Projected load: each redirect to a member counts as one more session on it
// until that member's next LOAD report replaces the estimate with the truth —
// so a burst of clients between two reports spreads over the members instead
// of herding onto the one that looked least loaded at the last report. The
// fast path does the same with the published scorePerSession (issue 4).
import { chooseLeastLoaded, type LlgDecision, type LlgPolicy, type MemberLoad } from './least-loaded';
import { cryptoLoad } from './system-load';

export class Balancer {
  private readonly redirectsSinceReport = new Map<string, number>();
  private previous: string | undefined;

  constructor(private readonly policy: LlgPolicy) {}

  /** Members as the LLG sees them now: reported loads plus redirects since each report. */
  project<M extends MemberLoad>(members: readonly M[]): M[] {
    return members.map((m) => {
      const extra = this.redirectsSinceReport.get(m.address) ?? 0;
      if (extra === 0) return m;
      const sessions = m.sessions + extra;
      return { ...m, sessions, cryptoLoad: cryptoLoad(sessions, m.maxSession) };
    });
  }

  /** The decision for one new session; no side effect. */
  choose(members: readonly MemberLoad[]): LlgDecision {
    return chooseLeastLoaded(this.project(members), this.policy, this.previous);
  }

  /** A client was redirected to address: count it until the member reports again. */
  noteRedirect(address: string): void {
    this.redirectsSinceReport.set(address, (this.redirectsSinceReport.get(address) ?? 0) + 1);
    this.previous = address;
  }

  /** address reported its load (or left): its projection starts over. */
  reportArrived(address: string): void {
    // `previous` stays: the hysteresis compares its fresh load with the others.
    this.redirectsSinceReport.delete(address);
  }

  forget(address: string): void {
    this.redirectsSinceReport.delete(address);
    if (this.previous === address) this.previous = undefined;
  }

  clear(): void {
    this.redirectsSinceReport.clear();
    this.previous = undefined;
  }

  /** Redirects counted since each member's last report (for `show`). */
  pending(address: string): number {
    return this.redirectsSinceReport.get(address) ?? 0;
  }
}
