// The IKE gateway as a daemon component: the sans-I/O core plus the only
// things it needs from the outside world — a datagram transport (the UDP
// engine), one Node timer for the core's single schedule, and the control
// commands `show crypto ikev2 sa|stats`, `clear crypto ikev2 sa [ID]`.
import { performance } from 'node:perf_hooks';
import type { ControlServer } from '../control/server';
import type { Component } from '../daemon/component';
import { IkelbError } from '../errors';
import type { Logger } from '../log';
import { NotifyType } from './constants';
import { IkeCore, type Datagram, type IkeCoreOptions } from './core';
import type { IkeCrypto } from './crypto-port';
import type { SaEventListener } from './events';
import type { IkePolicy } from './policy';
import type { RedirectProvider } from './redirect-provider';
import { parseShowArgs, showSa, showStats } from './show';
import type { IkeWire } from './wire-port';

/** Where datagrams come from and go to (the UDP engine, or a test double). */
export interface IkeTransport {
  /** Sends one datagram from `local` (its port picks the socket: NAT-T ports add the non-ESP marker). */
  send(datagram: Datagram): void;
  /** Installs the handler of received datagrams (bytes valid during the call only). */
  setReceiver(receiver: (datagram: Datagram) => void): void;
  /** The fast path demands and checks cookies itself; the gateway only reports the half-open count. */
  readonly handlesCookies: boolean;
  setHalfOpen?(count: number): void;
  /** Releases the transport's resources (optional: the UDP engine component owns its own lifecycle). */
  close?(): void;
}

export interface IkeGatewayOptions {
  readonly policy: IkePolicy;
  readonly crypto: IkeCrypto;
  readonly wire: IkeWire;
  readonly transport: IkeTransport;
  readonly log: Logger;
  readonly redirect?: RedirectProvider;
  readonly onEvent?: SaEventListener;
  /** Milliseconds of a monotonic clock (default performance.now). */
  readonly now?: () => number;
  /** Component name in logs (default 'ike'). */
  readonly name?: string;
}

const notifyNames = new Map<number, string>(Object.entries(NotifyType).map(([k, v]) => [v, k]));
export function notifyName(n: number): string {
  return notifyNames.get(n) ?? `NOTIFY_${n}`;
}

export class IkeGateway implements Component {
  readonly name: string;
  readonly core: IkeCore;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private kickQueued = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: IkeGatewayOptions) {
    this.name = options.name ?? 'ike';
    // Whole milliseconds: every deadline of every SA is then a small integer, not a boxed double.
    this.now = options.now ?? (() => Math.floor(performance.now()));
    const coreOptions: IkeCoreOptions = {
      policy: options.policy,
      crypto: options.crypto,
      wire: options.wire,
      now: this.now,
      send: (dg) => {
        options.transport.send(dg);
        this.kick();
      },
      log: options.log,
      ...(options.transport.handlesCookies ? { cookies: 'upstream' as const } : {}),
      ...(options.redirect !== undefined ? { redirect: options.redirect } : {}),
      ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
      ...(options.transport.setHalfOpen !== undefined ? { onHalfOpenChange: (n: number) => options.transport.setHalfOpen?.(n) } : {}),
    };
    this.core = new IkeCore(coreOptions);
  }

  async start(): Promise<void> {
    this.options.transport.setReceiver((dg) => {
      if (this.stopped) return;
      // Handled at once (PSK IKE_AUTH, INFORMATIONAL, dropped or refused datagrams): re-arm now, no promise;
      // otherwise after the pool job (never rejects; one bound function, no closure per datagram).
      const pending = this.core.receiveNow(dg);
      if (pending === undefined) this.kick();
      else void pending.then(this.kickAfterReceive);
    });
    this.kick();
  }

  async stop(reason: 'signal' | 'error' | 'shutdown'): Promise<void> {
    if (this.stopped) return;
    // Peers learn at once that we are gone (Delete, best-effort) instead of waiting for DPD.
    this.core.deleteAll(reason === 'error' ? 'gateway failed' : 'gateway shutting down');
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.options.transport.setReceiver(() => undefined);
  }

  private readonly kickAfterReceive = (): void => this.kick();

  /** Re-arms the one timer at the core's next deadline (coalesced per microtask). */
  kick(): void {
    if (this.kickQueued || this.stopped) return;
    this.kickQueued = true;
    queueMicrotask(() => {
      this.kickQueued = false;
      this.arm();
    });
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.core.nextWakeup();
    if (next === undefined) return;
    if (this.timer !== undefined && this.timerAt <= next) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const delay = Math.max(0, Math.ceil(next - this.now()));
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.core.tick();
      this.arm();
    }, delay);
  }

  registerCommands(control: ControlServer): void {
    control.register(['show', 'crypto', 'ikev2', 'sa'], (args) => showSa(this.core.table, this.now(), parseShowArgs(args)));
    control.register(['show', 'crypto', 'ikev2', 'stats'], () => showStats(this.core.stats, this.core.table, notifyName));
    control.register(['clear', 'crypto', 'ikev2', 'sa'], (args) => this.clear(args));
    control.register(['show', 'crypto', 'ikev2', 'memory'], () => this.memory());
    // ikelb extensions for operators and tests: start a rekey or a liveness check now.
    control.register(['request', 'crypto', 'ikev2', 'rekey'], (args) => this.request('rekey', args));
    control.register(['request', 'crypto', 'ikev2', 'dpd'], (args) => this.request('dpd', args));
  }

  /** Process memory and SA count (after a GC when node runs with --expose-gc): what an SA costs. */
  private memory(): { text: string; data: unknown } {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    const sas = this.core.table.size;
    const children = [...this.core.table.values()].reduce((n, sa) => n + sa.children.length, 0);
    const data = { sas, children, gcRun: gc !== undefined, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers };
    const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
    const text = [
      `IKE SAs: ${sas}, CHILD SAs: ${children}`,
      `RSS: ${mib(m.rss)}  heap used: ${mib(m.heapUsed)} of ${mib(m.heapTotal)}  external: ${mib(m.external)} (array buffers ${mib(m.arrayBuffers)})${gc === undefined ? '' : '  (after GC)'}`,
    ].join('\n');
    return { text, data };
  }

  private clear(args: readonly string[]): { text: string; data: unknown } {
    if (args.length === 0) {
      const ids = [...this.core.table.values()].map((sa) => sa.id);
      for (const id of ids) this.core.deleteSa(id);
      this.kick();
      return { text: `Cleared ${ids.length} IKEv2 SA(s)`, data: { cleared: ids } };
    }
    const id = Number(args[0]);
    if (args.length !== 1 || !Number.isInteger(id) || id <= 0) throw new IkelbError('IKELB_ERR_USAGE', `% Invalid input: clear crypto ikev2 sa [TUNNEL-ID]`);
    if (!this.core.deleteSa(id)) throw new IkelbError('IKELB_ERR_IKE_SA', `% No IKEv2 SA with tunnel id ${id}`);
    this.kick();
    return { text: `Cleared IKEv2 SA ${id}`, data: { cleared: [id] } };
  }

  private request(what: 'rekey' | 'dpd', args: readonly string[]): { text: string; data: unknown } {
    const id = Number(args[0]);
    const child = args[1] === 'child' ? Number(args[2]) : undefined;
    if (!Number.isInteger(id) || id <= 0 || (child !== undefined && !Number.isInteger(child))) {
      throw new IkelbError('IKELB_ERR_USAGE', what === 'rekey' ? '% usage: request crypto ikev2 rekey TUNNEL-ID [child CHILD-ID]' : '% usage: request crypto ikev2 dpd TUNNEL-ID');
    }
    const ok = what === 'rekey' ? this.core.rekey(id, child) : this.core.checkLiveness(id);
    if (!ok) throw new IkelbError('IKELB_ERR_IKE_SA', `% No established IKEv2 SA ${id}${child === undefined ? '' : ` with CHILD SA ${child}`}`);
    this.kick();
    return { text: `${what === 'rekey' ? 'Rekey' : 'Liveness check'} of IKEv2 SA ${id} started`, data: { id, child } };
  }
}
