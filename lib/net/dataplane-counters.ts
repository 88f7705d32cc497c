// The engine's counters read straight from native memory (a BigUint64Array
// over the counter block): no native call per read, so metrics can scrape as
// often as they like. Names and positions come from the native layout.
import type { UdpLayout } from './udp-native';

export interface CounterSnapshot {
  /** Every counter by its native name (datagrams_received, redirects_sent, ...). */
  readonly counters: Readonly<Record<string, number>>;
  /** Dropped datagrams by reason (too_short, bad_header, invalid_cookie, ...). */
  readonly drops: Readonly<Record<string, number>>;
  /** Redirects sent to each target-table slot since the member took the slot. */
  readonly redirectsTo: readonly number[];
}

/** One metric sample, exporter-neutral (Prometheus names: ikelb_dataplane_<name>_total). */
export interface MetricSample {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export class DataplaneCounters {
  private readonly words: BigUint64Array;
  private readonly index = new Map<string, number>();
  private readonly dropIndex = new Map<string, number>();
  private readonly dropsBase: number;
  private readonly redirectsBase: number;

  constructor(
    buffer: ArrayBuffer,
    private readonly layout: UdpLayout['counters'],
    private readonly maxTargets: number,
  ) {
    this.words = new BigUint64Array(buffer, 0, layout.bytes / 8);
    layout.names.forEach((name, i) => this.index.set(name, layout.offsetof_value / 8 + i));
    layout.dropNames.forEach((name, i) => this.dropIndex.set(name, layout.offsetof_drops / 8 + i));
    this.dropsBase = layout.offsetof_drops / 8;
    this.redirectsBase = layout.offsetof_redirects_to / 8;
  }

  /** Names of the counters and drop reasons, with their help text (for metrics). */
  describe(): { counters: Record<string, string>; drops: Record<string, string> } {
    const counters: Record<string, string> = {};
    const drops: Record<string, string> = {};
    this.layout.names.forEach((n, i) => (counters[n] = this.layout.help[i] ?? ''));
    this.layout.dropNames.forEach((n, i) => (drops[n] = this.layout.dropHelp[i] ?? ''));
    return { counters, drops };
  }

  /** One counter; throws on a name the native side does not export. */
  get(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown data-plane counter '${name}'`);
    return Number(this.words[i]);
  }

  drop(reason: string): number {
    const i = this.dropIndex.get(reason);
    if (i === undefined) throw new Error(`unknown drop reason '${reason}'`);
    return Number(this.words[i]);
  }

  /** Sum of every drop reason. */
  droppedTotal(): number {
    let total = 0;
    for (let i = 0; i < this.layout.dropNames.length; i++) total += Number(this.words[this.dropsBase + i]);
    return total;
  }

  redirectsTo(slot: number): number {
    return Number(this.words[this.redirectsBase + slot]);
  }

  /**
   * Every counter as metric samples: one per counter, drops with a `reason`
   * label, redirects per target with `slot` (callers add the address).
   * Reads shared memory only, so a scrape costs no native call.
   */
  metrics(): MetricSample[] {
    const out: MetricSample[] = [];
    this.layout.names.forEach((name, i) => {
      out.push({ name: `ikelb_dataplane_${name}_total`, help: this.layout.help[i] ?? '', type: 'counter', labels: {}, value: this.get(name) });
    });
    for (const reason of this.layout.dropNames) {
      out.push({ name: 'ikelb_dataplane_dropped_total', help: 'datagrams dropped, by reason (show crypto ikev2 stats dataplane)', type: 'counter', labels: { reason }, value: this.drop(reason) });
    }
    return out;
  }

  snapshot(): CounterSnapshot {
    const counters: Record<string, number> = {};
    const drops: Record<string, number> = {};
    for (const [name, i] of this.index) counters[name] = Number(this.words[i]);
    for (const [name, i] of this.dropIndex) drops[name] = Number(this.words[i]);
    const redirectsTo: number[] = [];
    for (let s = 0; s < this.maxTargets; s++) redirectsTo.push(Number(this.words[this.redirectsBase + s]));
    return { counters, drops, redirectsTo };
  }
}
