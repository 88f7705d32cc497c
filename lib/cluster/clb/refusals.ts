// Why a CLB frame or connection was refused, counted per reason and logged at
// most once per interval per reason (keepalived style): a flood of garbage
// costs a counter increment, not a log line each.
import type { Logger } from '../../log';
import type { Clock } from './clock';

export const refusalReasons = [
  /** The length field is below the smallest frame. */
  'bad-length',
  /** The length field is above maxFrameLength; refused before buffering. */
  'oversized',
  /** The version octet is not ours. */
  'bad-version',
  /** The type octet names no message. */
  'bad-type',
  /** The first frame of a connection (OPEN, or CHALLENGE on the subordinate) does not verify: the peer holds another secret (or the frame was altered). */
  'wrong-key',
  /** A later frame does not verify: altered in transit. */
  'bad-mac',
  /** The sequence number is not above the last one seen: a replayed frame. */
  'replay',
  /** The sequence number skips ahead: a frame was removed. */
  'bad-sequence',
  /** A frame names another member than the connection's, or a LOAD comes before the member's HELLO. */
  'unknown-member',
  /** A HELLO claims an address outside the configured members. */
  'member-not-allowed',
  /** A valid frame of a type not expected in this state (e.g. HELLO before OPEN). */
  'unexpected-type',
  /** A payload of the wrong size or with a value out of range. */
  'bad-payload',
  /** No valid HELLO within the handshake deadline (slowloris, half-open connections). */
  'handshake-timeout',
  /** More connections than a cluster can have members; the newest is refused. */
  'too-many-connections',
  /** The peer closed in the middle of a frame. */
  'truncated',
] as const;

export type RefusalReason = (typeof refusalReasons)[number];

export type RefusalCounts = Record<RefusalReason, number>;

/** Minimum time between two log lines for the same reason. */
export const refusalLogIntervalMs = 10_000;

export class RefusalCounter {
  private readonly counts: RefusalCounts = Object.fromEntries(refusalReasons.map((r) => [r, 0])) as RefusalCounts;
  private readonly lastLogged = new Map<RefusalReason, number>();
  private readonly suppressed = new Map<RefusalReason, number>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Counts one refusal and logs it unless the same reason was logged within the interval. */
  refuse(reason: RefusalReason, peer: string, detail?: string): void {
    this.counts[reason]++;
    const now = this.clock.now();
    const last = this.lastLogged.get(reason);
    if (last !== undefined && now - last < refusalLogIntervalMs) {
      this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + 1);
      return;
    }
    const suppressed = this.suppressed.get(reason) ?? 0;
    this.suppressed.delete(reason);
    this.lastLogged.set(reason, now);
    this.log.warn({ reason, peer, detail, suppressedSinceLastLog: suppressed, total: this.counts[reason] }, 'CLB peer refused');
  }

  snapshot(): Readonly<RefusalCounts> {
    return { ...this.counts };
  }

  total(): number {
    return refusalReasons.reduce((sum, r) => sum + this.counts[r], 0);
  }
}
