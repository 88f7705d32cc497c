// The primary's member table: every gateway of the cluster, itself included,
// with its last reported load. A subordinate silent for holdtime is dead and
// leaves the table (its connection is closed by the owner via onExpired).
// Every change is reported through onChange so the redirect target table is
// republished at once (lib/cluster/clb/redirect-targets.ts).
import type { Clock, TimerHandle } from './clock';
import { canonicalAddress, compareAddresses } from '../../ip-address';
import { isEligible, loadScore, memberState, type LlgPolicy, type MemberLoad } from './least-loaded';
import type { MemberState } from './member-state';
import type { HelloMessage, LoadMessage } from './messages';
import { Capability } from './messages';

export interface MemberRecord extends MemberLoad {
  readonly memberId: number;
  readonly capabilities: number;
  readonly cpuLoad: number;
  readonly memoryLoad: number;
  /** Clock time of the last valid frame (or sample, for the primary). */
  readonly lastHeard: number;
  readonly joinedAt: number;
}

/** A member as shown and as the LLG sees it. */
export interface MemberView extends MemberRecord {
  readonly state: MemberState;
  readonly score: number;
  readonly eligible: boolean;
}

export type TableChange = 'joined' | 'hello' | 'load' | 'left' | 'expired' | 'local';

export interface MemberTableOptions {
  readonly clock: Clock;
  readonly holdtimeMs: number;
  readonly policy: LlgPolicy;
  /** Called after every change, with the member concerned. */
  readonly onChange?: (change: TableChange, address: string) => void;
  /** Called when a member is removed for silence; the owner closes its connection. */
  readonly onExpired?: (address: string, memberId: number) => void;
}

interface Entry {
  record: MemberRecord;
  timer: TimerHandle | undefined;
}

export class MemberTable {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: MemberTableOptions) {}

  get size(): number {
    return this.entries.size;
  }

  has(address: string): boolean {
    return this.entries.has(canonicalAddress(address));
  }

  /** Sets the primary's own row (never expires). */
  setLocal(address: string, hello: Omit<HelloMessage, 'address'>, load: LoadMessage): void {
    const key = canonicalAddress(address);
    const now = this.options.clock.now();
    const previous = this.entries.get(key)?.record;
    this.put(key, {
      ...recordFrom(key, 0, { ...hello, address: key }, now, previous?.local === true ? previous.joinedAt : now, true),
      ...loadFields(load),
      reported: true,
      reports: (previous?.local === true ? (previous.reports ?? 0) : 0) + 1,
    }, false);
    this.changed('local', key);
  }

  /** A subordinate's HELLO: adds it (joining) or refreshes it. Returns true when it is new. */
  hello(memberId: number, hello: HelloMessage): boolean {
    const key = canonicalAddress(hello.address);
    const now = this.options.clock.now();
    const existing = this.entries.get(key)?.record;
    if (existing?.local === true) return false;
    // The same member keeps its load; a restarted one (new id) starts over as joining.
    const record: MemberRecord =
      existing !== undefined && existing.memberId === memberId
        ? {
            ...existing,
            priority: hello.priority,
            capabilities: hello.capabilities,
            maxSession: hello.maxSession,
            redirectTarget: (hello.capabilities & Capability.redirectTarget) !== 0,
            lastHeard: now,
          }
        : recordFrom(key, memberId, hello, now, now, false);
    this.put(key, record, true);
    // A HELLO that only proves liveness changes nothing the LLG looks at.
    if (existing === undefined || existing.memberId !== memberId) this.changed('joined', key);
    else if (existing.priority !== record.priority || existing.maxSession !== record.maxSession || existing.redirectTarget !== record.redirectTarget) {
      this.changed('hello', key);
    }
    return existing === undefined;
  }

  /** A subordinate's LOAD; false when the member is not in the table (it must HELLO first). */
  load(address: string, memberId: number, load: LoadMessage): boolean {
    const key = canonicalAddress(address);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.record.local || entry.record.memberId !== memberId) return false;
    this.put(key, { ...entry.record, ...loadFields(load), reported: true, reports: (entry.record.reports ?? 0) + 1, lastHeard: this.options.clock.now() }, true);
    this.changed('load', key);
    return true;
  }

  /** Removes a member (it said goodbye, or its connection was replaced/closed for cause). */
  remove(address: string, memberId?: number): boolean {
    const key = canonicalAddress(address);
    const entry = this.entries.get(key);
    if (entry === undefined || entry.record.local || (memberId !== undefined && entry.record.memberId !== memberId)) return false;
    this.drop(key, entry);
    this.changed('left', key);
    return true;
  }

  /** Every member, in address order, with state and score. */
  members(): MemberView[] {
    return [...this.entries.values()]
      .map((e) => this.view(e.record))
      .sort((a, b) => compareAddresses(a.address, b.address));
  }

  get(address: string): MemberView | undefined {
    const entry = this.entries.get(canonicalAddress(address));
    return entry === undefined ? undefined : this.view(entry.record);
  }

  /** Empties the table and cancels every timer (stop, or no longer primary). */
  clear(): void {
    for (const [key, entry] of this.entries) this.drop(key, entry);
  }

  private view(record: MemberRecord): MemberView {
    const policy = this.options.policy;
    return { ...record, state: memberState(record, policy), score: loadScore(record, policy.weights), eligible: isEligible(record, policy) };
  }

  private put(key: string, record: MemberRecord, expires: boolean): void {
    const previous = this.entries.get(key);
    if (previous?.timer !== undefined) this.options.clock.clearTimeout(previous.timer);
    const timer = expires ? this.options.clock.setTimeout(() => this.expire(key, record.memberId), this.options.holdtimeMs) : undefined;
    this.entries.set(key, { record, timer });
  }

  private expire(key: string, memberId: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.record.memberId !== memberId) return;
    this.entries.delete(key);
    this.changed('expired', key);
    this.options.onExpired?.(key, memberId);
  }

  private drop(key: string, entry: Entry): void {
    if (entry.timer !== undefined) this.options.clock.clearTimeout(entry.timer);
    this.entries.delete(key);
  }

  private changed(change: TableChange, address: string): void {
    this.options.onChange?.(change, address);
  }
}

function recordFrom(address: string, memberId: number, hello: HelloMessage, now: number, joinedAt: number, local: boolean): MemberRecord {
  return {
    address,
    memberId,
    local,
    priority: hello.priority,
    capabilities: hello.capabilities,
    maxSession: hello.maxSession,
    redirectTarget: local || (hello.capabilities & Capability.redirectTarget) !== 0,
    sessions: 0,
    cryptoLoad: 0,
    systemLoad: 0,
    cpuLoad: 0,
    memoryLoad: 0,
    reported: false,
    reports: 0,
    draining: false,
    lastHeard: now,
    joinedAt,
  };
}

function loadFields(load: LoadMessage): Pick<MemberRecord, 'sessions' | 'maxSession' | 'cryptoLoad' | 'systemLoad' | 'cpuLoad' | 'memoryLoad' | 'priority' | 'draining'> {
  return {
    sessions: load.sessions,
    maxSession: load.maxSession,
    cryptoLoad: load.cryptoLoad,
    systemLoad: load.systemLoad,
    cpuLoad: load.cpuLoad,
    memoryLoad: load.memoryLoad,
    priority: load.priority,
    draining: load.draining,
  };
}
