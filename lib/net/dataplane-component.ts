// The data plane as a daemon component: opens the UDP engine, applies the
// redirect/cookie settings, publishes the static target list until the
// cluster drives the table, rotates the cookie secret, and answers
// `show crypto ikev2 stats dataplane`.
//
// Start order: start it before the IKE gateway (which takes its batches) and
// before the CLB (whose RedirectTargetSink is `targetSink`, usable from
// construction: tables published before start() are applied when it opens).
import type { ControlServer } from '../control/server';
import type { Component } from '../daemon/component';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { dataplaneStats, renderDataplane } from './show-dataplane';
import type { RedirectTargetSink, RedirectTargetTable } from '../cluster/clb/redirect-targets';
import { staticTargetTable, type StaticTarget } from './target-table';
import { UdpEngine, type ListenAddress } from './udp-engine';

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    h.unref();
    return h;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export interface DataplaneOptions {
  readonly listen: readonly ListenAddress[];
  readonly mode?: 'thread' | 'event-loop';
  /** Niceness of the I/O thread (UdpEngineOptions.ioThreadNice). */
  readonly ioThreadNice?: number;
  /** `crypto ikev2 redirect gateway init`. */
  readonly redirectInit: boolean;
  /** `crypto ikev2 cookie-challenge N` (null: never, 0: always). */
  readonly cookieChallenge: number | null;
  /** `crypto ikev2 redirect gateway static ...`: the table until a cluster publishes one. */
  readonly staticTargets?: readonly StaticTarget[];
  /** This gateway's own addresses: a static entry naming one of them means "serve locally". */
  readonly localAddresses?: readonly string[];
  /** How often the cookie secret rotates (RFC 7296 §2.6); default 60 s. */
  readonly cookieRotationMs?: number;
  readonly timers?: Timers;
  readonly log?: Logger;
}

export class DataplaneComponent implements Component {
  readonly name = 'dataplane';
  private current: UdpEngine | undefined;
  private rotation: unknown;
  private pendingTable: RedirectTargetTable | undefined;
  private readonly log: Logger;
  private readonly timers: Timers;

  /** Where the CLB publishes its redirect target tables (ClbComponent's `sink`); usable before start(). */
  readonly targetSink: RedirectTargetSink = {
    publish: (table) => {
      this.pendingTable = table;
      this.current?.targets.publish(table);
    },
  };

  constructor(private readonly options: DataplaneOptions) {
    this.log = options.log ?? silentLogger;
    this.timers = options.timers ?? realTimers;
    if (options.staticTargets !== undefined && options.staticTargets.length > 0) {
      this.pendingTable = staticTargetTable(options.staticTargets, options.localAddresses ?? []);
    }
  }

  /** The open engine (the IKE gateway sets its onBatch and sends through its sender). */
  get engine(): UdpEngine {
    if (this.current === undefined) throw new Error('the data plane is not started');
    return this.current;
  }

  async start(): Promise<void> {
    const engine = UdpEngine.open({
      listen: this.options.listen,
      mode: this.options.mode ?? 'thread',
      ...(this.options.ioThreadNice !== undefined ? { ioThreadNice: this.options.ioThreadNice } : {}),
      log: this.log,
    });
    this.current = engine;
    engine.setRedirectInit(this.options.redirectInit);
    engine.setCookieThreshold(this.options.cookieChallenge);
    if (this.pendingTable !== undefined) engine.targets.publish(this.pendingTable);
    this.rotation = this.timers.setInterval(() => {
      try {
        engine.rotateCookieSecret();
      } catch (err) {
        this.log.error({ err }, 'cookie secret rotation failed; the previous secret stays in use');
      }
    }, this.options.cookieRotationMs ?? 60_000);
    this.log.info({ sockets: engine.sockets, mode: engine.mode, redirectInit: this.options.redirectInit }, 'UDP engine open');
  }

  async stop(): Promise<void> {
    if (this.rotation !== undefined) this.timers.clearInterval(this.rotation);
    this.rotation = undefined;
    this.current?.close();
    this.current = undefined;
  }

  registerCommands(control: ControlServer): void {
    control.register(['show', 'crypto', 'ikev2', 'stats', 'dataplane'], () => {
      const stats = dataplaneStats(this.engine);
      return { text: renderDataplane(stats), data: stats };
    });
  }
}
