// The redirect target table in shared memory: TypeScript writes it whenever a
// load report arrives, the native fast path reads it on every redirect
// decision (native/net/target_table.h has the projection and choice rule).
//
// Implements the CLB's RedirectTargetSink (lib/cluster/clb/redirect-targets.ts;
// its `hysteresis` is for the CLB's own LLG display: the projection below
// replaces it in the fast path). Until the cluster drives it, staticTargetTable() builds the table from the
// config's `crypto ikev2 redirect gateway static` list.
//
// Writing is a seqlock: seq goes odd (Atomics.add), the rows are rewritten,
// seq goes even again. Atomics on the seq word order the plain row stores
// around it for V8 and the CPU; the native reader retries or keeps its old
// copy while seq is odd or moved, so it never acts on a torn row.
//
// A member keeps its slot while it stays in the table (members are keyed by
// address), so per-slot redirect counters mean something to `show`.
import type { RedirectTarget, RedirectTargetSink, RedirectTargetTable } from '../cluster/clb/redirect-targets';
import { IkelbError } from '../errors';
import { formatAddress, writeAddress } from '../ip-address';
import type { UdpLayout } from './udp-native';

/** What `show` reports per slot. */
export interface TargetStatus {
  readonly slot: number;
  readonly address: string;
  readonly local: boolean;
  readonly eligible: boolean;
  readonly loadScore: number;
  readonly projectedScore: number;
  readonly redirectsSinceReport: number;
  readonly capacity: number;
  readonly rank: number;
}

export class SharedTargetTable implements RedirectTargetSink {
  private readonly seq: Uint32Array;
  private readonly header: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  private readonly since: BigUint64Array;
  private readonly slotOf = new Map<string, number>();
  private readonly addressOf: (string | undefined)[];
  private readonly memberIds: number[] = [];
  private nextMemberId = 1;
  private generation = 0;

  constructor(
    targets: ArrayBuffer,
    projection: ArrayBuffer,
    private readonly t: UdpLayout['targets'],
  ) {
    this.seq = new Uint32Array(targets, t.offsetof_seq, 1);
    this.header = new Uint32Array(targets, 0, t.offsetof_rows / 4);
    this.bytes = new Uint8Array(targets);
    this.u32 = new Uint32Array(targets);
    this.f64 = new Float64Array(targets);
    this.since = new BigUint64Array(projection, t.offsetof_since_report, t.max);
    this.addressOf = new Array<string | undefined>(t.max).fill(undefined);
  }

  /** RedirectTargetSink.publish: called on every load report; never throws on a well-formed table. */
  publish(table: RedirectTargetTable): void {
    this.generation = table.generation;
    const wanted = new Set(table.targets.map((r) => r.address));
    // Free the slots of members that left; keep the others where they are.
    for (const [address, slot] of this.slotOf) {
      if (!wanted.has(address)) {
        this.slotOf.delete(address);
        this.addressOf[slot] = undefined;
      }
    }
    const rows: { slot: number; row: RedirectTarget; id: number }[] = [];
    for (const row of table.targets) {
      let slot = this.slotOf.get(row.address);
      if (slot === undefined) {
        slot = this.addressOf.indexOf(undefined);
        if (slot < 0) continue; // more members than slots: the table keeps the best ranked
        this.slotOf.set(row.address, slot);
        this.addressOf[slot] = row.address;
        this.memberIds[slot] = this.nextMemberId++;
      }
      rows.push({ slot, row, id: this.memberIds[slot] ?? 0 });
    }
    let used = 0;
    for (let s = 0; s < this.t.max; s++) if (this.addressOf[s] !== undefined) used = s + 1;

    Atomics.add(this.seq, 0, 1); // odd: the reader keeps its previous copy
    try {
      for (let s = 0; s < this.t.max; s++) this.u32[this.fieldIndex32(s, this.t.offsetof_family)] = 0;
      for (const { slot, row, id } of rows) this.writeRow(slot, row, id, table.overloadLimit, table.generation);
      this.header[this.t.offsetof_slots / 4] = used;
    } finally {
      Atomics.add(this.seq, 0, 1); // even: consistent again
    }
  }

  /** The rows as the fast path sees them, with its projection (for show and tests). */
  status(): TargetStatus[] {
    const out: TargetStatus[] = [];
    for (let slot = 0; slot < this.t.max; slot++) {
      const family = this.u32[this.fieldIndex32(slot, this.t.offsetof_family)];
      if (family !== 4 && family !== 6) continue;
      const flags = this.u32[this.fieldIndex32(slot, this.t.offsetof_flags)] ?? 0;
      const score = this.f64[this.fieldIndex64(slot, this.t.offsetof_score)] ?? 0;
      const perSession = this.f64[this.fieldIndex64(slot, this.t.offsetof_per_session)] ?? 0;
      const since = Number(this.since[slot]);
      out.push({
        slot,
        address: formatAddress(this.bytes, this.rowBase(slot) + this.t.offsetof_address, family),
        local: (flags & this.t.flagLocal) !== 0,
        eligible: (flags & this.t.flagEligible) !== 0,
        loadScore: score,
        projectedScore: score + perSession * since,
        redirectsSinceReport: since,
        capacity: this.f64[this.fieldIndex64(slot, this.t.offsetof_capacity)] ?? 0,
        rank: this.u32[this.fieldIndex32(slot, this.t.offsetof_rank)] ?? 0,
      });
    }
    return out;
  }

  /** Generation of the last table published. */
  get lastGeneration(): number {
    return this.generation;
  }

  private rowBase(slot: number): number {
    return this.t.offsetof_rows + slot * this.t.rowBytes;
  }
  private fieldIndex32(slot: number, field: number): number {
    return (this.rowBase(slot) + field) / 4;
  }
  private fieldIndex64(slot: number, field: number): number {
    return (this.rowBase(slot) + field) / 8;
  }

  private writeRow(slot: number, row: RedirectTarget, id: number, overloadLimit: number, generation: number): void {
    const family = writeAddress(row.address, this.bytes, this.rowBase(slot) + this.t.offsetof_address);
    if (family === undefined) throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `redirect target '${row.address}' is not an IP address`);
    this.u32[this.fieldIndex32(slot, this.t.offsetof_flags)] = (row.eligible ? this.t.flagEligible : 0) | (row.local ? this.t.flagLocal : 0);
    this.u32[this.fieldIndex32(slot, this.t.offsetof_id)] = id;
    // The projection restarts when the member's own report changes (reportId);
    // a table without report ids (a static list) restarts every row on publish.
    this.u32[this.fieldIndex32(slot, this.t.offsetof_report)] = (row.reportId ?? generation) >>> 0;
    this.u32[this.fieldIndex32(slot, this.t.offsetof_rank)] = row.rank;
    this.f64[this.fieldIndex64(slot, this.t.offsetof_score)] = row.loadScore;
    this.f64[this.fieldIndex64(slot, this.t.offsetof_per_session)] = row.scorePerSession;
    this.f64[this.fieldIndex64(slot, this.t.offsetof_capacity)] = row.capacity;
    this.f64[this.fieldIndex64(slot, this.t.offsetof_limit)] = overloadLimit;
    this.u32[this.fieldIndex32(slot, this.t.offsetof_family)] = family; // last: the row is live
  }
}

export interface StaticTarget {
  readonly address: string;
  /** Sessions the target takes: weights it against the others. */
  readonly capacity: number;
}

/**
 * The table for a static list (`crypto ikev2 redirect gateway static ADDR
 * [capacity N]`): no load reports, so every target starts at score 0 and each
 * redirect adds 100/capacity; clients spread in proportion to capacity and no
 * target is ever exhausted (capacity and overload limit are unbounded).
 * `localAddresses` marks this gateway's own entries as "serve locally".
 */
export function staticTargetTable(targets: readonly StaticTarget[], localAddresses: readonly string[] = [], generation = 1): RedirectTargetTable {
  const local = new Set(localAddresses);
  return {
    generation,
    overloadLimit: Number.POSITIVE_INFINITY,
    hysteresis: 0,
    targets: targets.map((t, rank) => ({
      address: t.address,
      local: local.has(t.address),
      loadScore: 0,
      scorePerSession: 100 / Math.max(1, t.capacity),
      capacity: Number.POSITIVE_INFINITY,
      eligible: true,
      rank,
    })),
  };
}
