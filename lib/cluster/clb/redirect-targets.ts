// The member table as the data plane's redirect fast path needs it (issue 4):
// one row per member with its load score, spare capacity and eligibility.
// The primary publishes a full snapshot through a RedirectTargetSink
//   - on every load report (a subordinate's LOAD or the primary's own sample),
//   - on every membership change (join, leave, holdtime expiry, state change),
//   - and an empty table when this gateway stops being the primary or stops,
// so the fast path never redirects on a stale or foreign view.
// The data-plane branch implements the sink over shared memory; MemoryTargetSink
// below keeps snapshots in memory (the default, and the test double).
import { isEligible, loadScore, rankMembers, type LlgPolicy, type MemberLoad } from './least-loaded';

export interface RedirectTarget {
  /** IP literal the client is redirected to (RFC 5685 GW Ident type 1 or 2). */
  readonly address: string;
  /** This row is the publishing primary itself: choosing it means "serve locally". */
  readonly local: boolean;
  /** Weighted load 0..100 at the last report; lower is better. */
  readonly loadScore: number;
  /**
   * How much one more session raises loadScore:
   * wc * 100 / (max-session * (wc + ws)). The fast path adds
   * redirectsSinceReport * scorePerSession to loadScore (projected load), so a
   * burst between two reports spreads instead of herding onto one member.
   */
  readonly scorePerSession: number;
  /** Sessions it can still take: max-session - sessions, never negative. */
  readonly capacity: number;
  /** Can take new sessions now (up, below overload-limit and max-session, a redirect target). */
  readonly eligible: boolean;
  /** Position in the LLG order (0 = best): breaks score ties without re-implementing priority/sessions/address. */
  readonly rank: number;
  /**
   * Changes exactly when this member's load report does (its report count).
   * The fast path keeps counting redirects into a row's projection until then,
   * so another member's report does not make it forget the clients it just
   * sent here. Absent: every publish counts as a new report for every row.
   */
  readonly reportId?: number;
}

export interface RedirectTargetTable {
  /** Strictly increasing with every publish; a reader detects a new table by it. */
  readonly generation: number;
  readonly overloadLimit: number;
  readonly hysteresis: number;
  /** Every member in LLG order (rank 0 first), the primary included. */
  readonly targets: readonly RedirectTarget[];
}

/**
 * Receives each new target table. The fast path's rule, the same as
 * chooseLeastLoaded(): among eligible non-local rows with projected score below
 * overloadLimit and redirects below capacity, take the lowest (projected score,
 * rank); serve locally instead when the local row is eligible and its score is
 * strictly lower, or when no row qualifies.
 * publish() is called synchronously from the CLB code and must not throw; the
 * table is frozen and may be kept.
 */
export interface RedirectTargetSink {
  publish(table: RedirectTargetTable): void;
}

/** Builds the table from member loads (pure). */
export function buildRedirectTargets(members: readonly MemberLoad[], policy: LlgPolicy, generation: number): RedirectTargetTable {
  const totalWeight = policy.weights.crypto + policy.weights.system;
  const targets = rankMembers(members, policy).map(
    (m, rank): RedirectTarget =>
      Object.freeze({
        address: m.address,
        local: m.local,
        loadScore: loadScore(m, policy.weights),
        scorePerSession: totalWeight === 0 ? 0 : (policy.weights.crypto * 100) / (m.maxSession * totalWeight),
        capacity: Math.max(0, m.maxSession - m.sessions),
        eligible: isEligible(m, policy),
        rank,
        ...(m.reports === undefined ? {} : { reportId: m.reports }),
      }),
  );
  return Object.freeze({ generation, overloadLimit: policy.overloadLimit, hysteresis: policy.hysteresis, targets: Object.freeze(targets) });
}

/** Keeps the last table (and, bounded, the ones before it). */
export class MemoryTargetSink implements RedirectTargetSink {
  private readonly tables: RedirectTargetTable[] = [];

  constructor(private readonly keep = 64) {}

  publish(table: RedirectTargetTable): void {
    this.tables.push(table);
    if (this.tables.length > this.keep) this.tables.shift();
  }

  /** The last table published, if any. */
  get latest(): RedirectTargetTable | undefined {
    return this.tables[this.tables.length - 1];
  }

  /** The tables kept, oldest first. */
  get history(): readonly RedirectTargetTable[] {
    return this.tables;
  }
}
