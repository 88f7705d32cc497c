// The data plane as a daemon component — the one owner of the UDP engine in
// a process: it opens the IKE sockets, applies the redirect/cookie settings,
// publishes the static target list until the cluster drives the table,
// rotates the cookie secret, hands the IKE gateway its transport (datagrams
// the fast path passes up, replies out through the send queue, the half-open
// count in for the cookie threshold) and answers `show crypto ikev2 stats
// dataplane`.
//
// Addresses served on demand: serveAddress(VIP) opens a second engine bound
// to the VIP on the same IKE ports (same settings, same target table, same
// receiver). HSRP calls it through EngineVipOwner when a gateway becomes
// active where the VIP cannot be pre-bound — the loopback demo, where every
// gateway is a process on one host and only one may bind 127.0.0.10 at a
// time. On a real interface the engine listens on 0.0.0.0 (or the VIP with
// IP_FREEBIND) and receives on the VIP as soon as HSRP adds it; replies
// leave from the address a request arrived at (IP_PKTINFO) either way.
//
// Start order: before the IKE gateway (its transport) and before HSRP and
// the CLB (whose RedirectTargetSink is `targetSink`, usable from
// construction: tables published before start() are applied when it opens).
import type { ControlServer } from '../control/server';
import type { Component } from '../daemon/component';
import type { Datagram } from '../ike/core';
import type { IkeTransport } from '../ike/gateway';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { dataplaneStats, renderDataplane, type DataplaneStats } from './show-dataplane';
import type { RedirectTargetSink, RedirectTargetTable } from '../cluster/clb/redirect-targets';
import { addressFamily } from '../ip-address';
import type { ReceivedBatch } from './received-batch';
import type { Destination } from './send-queue';
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
  /**
   * false: no native fast path, every IKE datagram reaches the IKE gateway
   * (which then demands cookies itself). Default on.
   */
  readonly fastPath?: boolean;
  readonly timers?: Timers;
  readonly log?: Logger;
}

/** Where one datagram leaves: an engine and one of its sockets. */
interface Route {
  readonly engine: UdpEngine;
  readonly socket: number;
  readonly wildcard: boolean;
}

export class DataplaneComponent implements Component {
  readonly name = 'dataplane';
  private current: UdpEngine | undefined;
  /** Engines of addresses served on demand (serveAddress), by address. */
  private readonly extra = new Map<string, UdpEngine>();
  private rotation: unknown;
  private pendingTable: RedirectTargetTable | undefined;
  private halfOpen = 0;
  private receiver: (dg: Datagram) => void = () => undefined;
  private readonly unflushed = new Set<UdpEngine>();
  private flushQueued = false;
  private readonly log: Logger;
  private readonly timers: Timers;

  /** Where the CLB publishes its redirect target tables (ClbComponent's `sink`); usable before start(). */
  readonly targetSink: RedirectTargetSink = {
    publish: (table) => {
      this.pendingTable = table;
      for (const engine of this.engines()) engine.targets.publish(table);
    },
  };

  /** The IKE gateway's transport over the engine(s); usable before start (it buffers nothing). */
  readonly transport: IkeTransport;

  constructor(private readonly options: DataplaneOptions) {
    this.log = options.log ?? silentLogger;
    this.timers = options.timers ?? realTimers;
    if (options.staticTargets !== undefined && options.staticTargets.length > 0) {
      this.pendingTable = staticTargetTable(options.staticTargets, options.localAddresses ?? []);
    }
    this.transport = {
      handlesCookies: options.fastPath !== false,
      send: (dg) => this.send(dg),
      setReceiver: (receiver) => {
        this.receiver = receiver;
      },
      setHalfOpen: (count) => {
        this.halfOpen = count;
        for (const engine of this.engines()) engine.setHalfOpen(count);
      },
    };
  }

  /** The open engine (the IKE gateway sets its onBatch and sends through its sender). */
  get engine(): UdpEngine {
    if (this.current === undefined) throw new Error('the data plane is not started');
    return this.current;
  }

  /** Addresses served by an engine of their own (serveAddress), e.g. the loopback VIP while active. */
  get servedAddresses(): readonly string[] {
    return [...this.extra.keys()];
  }

  async start(): Promise<void> {
    const engine = this.open(this.options.listen);
    this.current = engine;
    this.rotation = this.timers.setInterval(() => {
      for (const e of this.engines()) {
        try {
          e.rotateCookieSecret();
        } catch (err) {
          this.log.error({ err }, 'cookie secret rotation failed; the previous secret stays in use');
        }
      }
    }, this.options.cookieRotationMs ?? 60_000);
    this.log.info({ sockets: engine.sockets, mode: engine.mode, redirectInit: this.options.redirectInit }, 'UDP engine open');
  }

  async stop(): Promise<void> {
    if (this.rotation !== undefined) this.timers.clearInterval(this.rotation);
    this.rotation = undefined;
    this.flush();
    for (const address of [...this.extra.keys()]) this.stopServing(address);
    this.current?.close();
    this.current = undefined;
  }

  /**
   * Receives on `address` too, on every IKE port of the listen list (its own
   * engine, same settings and target table). Throws IKELB_ERR_UDP_BIND when
   * the address cannot be bound (another process still holds it): the caller
   * (HSRP's VIP owner) retries. Idempotent.
   */
  serveAddress(address: string): void {
    if (this.current === undefined) throw new Error('the data plane is not started');
    if (this.extra.has(address)) return;
    const family = addressFamily(address);
    const ports = new Map<number, boolean>();
    for (const l of this.options.listen) {
      if (addressFamily(l.address) === family) ports.set(l.port, l.natt ?? false);
    }
    const main = this.current.sockets;
    const covered = [...ports.keys()].every((port) => main.some((s) => s.port === port && s.family === family && (s.address === '0.0.0.0' || s.address === '::' || s.address === address)));
    if (covered) return; // the wildcard (or the address itself) is already bound: it receives there already
    const engine = this.open([...ports].map(([port, natt]) => ({ address, port, natt })));
    this.extra.set(address, engine);
    this.log.info({ address, sockets: engine.sockets.map((s) => `${s.address}:${s.port}`) }, 'serving IKE on an added address');
  }

  /** Stops receiving on an address given to serveAddress (its sockets close at once). */
  stopServing(address: string): void {
    const engine = this.extra.get(address);
    if (engine === undefined) return;
    this.extra.delete(address);
    if (this.unflushed.delete(engine) && !engine.isClosed) engine.sender.flush();
    engine.close();
    this.log.info({ address }, 'stopped serving IKE on an added address');
  }

  registerCommands(control: ControlServer): void {
    control.register(['show', 'crypto', 'ikev2', 'stats', 'dataplane'], () => {
      const stats: DataplaneStats = dataplaneStats(this.engine);
      const added = [...this.extra.values()].map(dataplaneStats);
      const text = [renderDataplane(stats), ...added.map((s) => `\nAdded address (virtual IP):\n${renderDataplane(s)}`)].join('\n');
      return { text, data: { ...stats, addedAddresses: added } };
    });
  }

  private engines(): UdpEngine[] {
    return this.current === undefined ? [...this.extra.values()] : [this.current, ...this.extra.values()];
  }

  private open(listen: readonly ListenAddress[]): UdpEngine {
    const engine = UdpEngine.open(
      {
        listen,
        mode: this.options.mode ?? 'thread',
        ...(this.options.ioThreadNice !== undefined ? { ioThreadNice: this.options.ioThreadNice } : {}),
        ...(this.options.fastPath !== undefined ? { fastPath: this.options.fastPath } : {}),
        log: this.log,
      },
      (batch) => this.deliver(batch),
    );
    engine.setRedirectInit(this.options.redirectInit);
    engine.setCookieThreshold(this.options.cookieChallenge);
    engine.setHalfOpen(this.halfOpen);
    if (this.pendingTable !== undefined) engine.targets.publish(this.pendingTable);
    return engine;
  }

  private deliver(batch: ReceivedBatch): void {
    for (let i = 0; i < batch.count; i++) {
      this.receiver({
        data: batch.copyMessage(i),
        local: { address: batch.localAddress(i), port: batch.localPort(i) },
        remote: { address: batch.remoteAddress(i), port: batch.remotePort(i) },
      });
    }
  }

  /** The socket a reply from dg.local leaves by: the exact address first, then a wildcard, then any on the port. */
  private route(dg: Datagram): Route | undefined {
    const family = dg.remote.address.includes(':') ? 6 : 4;
    let fallback: Route | undefined;
    for (const engine of this.engines()) {
      const sockets = engine.sockets;
      for (let i = 0; i < sockets.length; i++) {
        const s = sockets[i];
        if (s === undefined || s.port !== dg.local.port || s.family !== family) continue;
        const wildcard = s.address === '0.0.0.0' || s.address === '::';
        if (s.address === dg.local.address) return { engine, socket: i, wildcard: false };
        if (wildcard && (fallback === undefined || !fallback.wildcard)) fallback = { engine, socket: i, wildcard: true };
        else fallback ??= { engine, socket: i, wildcard: false };
      }
    }
    return fallback;
  }

  private send(dg: Datagram): void {
    const route = this.route(dg);
    if (route === undefined) {
      this.log.warn({ local: `${dg.local.address}:${dg.local.port}` }, 'no IKE socket to send from');
      return;
    }
    const destination: Destination = route.wildcard
      ? { socket: route.socket, address: dg.remote.address, port: dg.remote.port, localAddress: dg.local.address }
      : { socket: route.socket, address: dg.remote.address, port: dg.remote.port };
    route.engine.sender.sendTo(destination, dg.data);
    this.unflushed.add(route.engine);
    if (!this.flushQueued) {
      // Once per event-loop turn (check phase): every answer the turn's batches and crypto
      // completions produced leaves in one sendmmsg instead of one per promise chain.
      this.flushQueued = true;
      setImmediate(this.flushBound);
    }
  }

  private readonly flushBound = (): void => this.flush();

  private flush(): void {
    this.flushQueued = false;
    for (const engine of this.unflushed) if (!engine.isClosed) engine.sender.flush();
    this.unflushed.clear();
  }
}
