// The UDP engine (lib/net) as a daemon component: opens the IKE sockets
// (500 and the NAT-T 4500 of every listen address) at start, closes them at
// stop, and hands the IKE gateway an IkeTransport over them. Datagrams the
// native fast path does not answer reach the transport's receiver in batches.
import type { Datagram } from '../ike/core';
import type { IkeTransport } from '../ike/gateway';
import type { Logger } from '../log';
import { UdpEngine, type ListenAddress } from '../net/udp-engine';
import type { Component } from './component';

export interface UdpEngineComponentOptions {
  readonly listen: readonly ListenAddress[];
  readonly log: Logger;
  /** The native fast path (redirect, cookies); default on. */
  readonly fastPath?: boolean;
  /** Cookies demanded by the fast path at this many half-open SAs (null: never). */
  readonly cookieThreshold?: number | null;
}

export class UdpEngineComponent implements Component {
  readonly name = 'udp';
  engine: UdpEngine | undefined;
  private receiver: (dg: Datagram) => void = () => undefined;
  private flushQueued = false;

  constructor(private readonly options: UdpEngineComponentOptions) {}

  /** The transport the IKE gateway talks through; usable before start (it buffers nothing). */
  readonly transport: IkeTransport = {
    handlesCookies: true,
    send: (dg) => this.send(dg),
    setReceiver: (receiver) => {
      this.receiver = receiver;
    },
    setHalfOpen: (count) => this.engine?.setHalfOpen(count),
  };

  async start(): Promise<void> {
    const engine = UdpEngine.open({ listen: this.options.listen, log: this.options.log, ...(this.options.fastPath === undefined ? {} : { fastPath: this.options.fastPath }) }, (batch) => {
      for (let i = 0; i < batch.count; i++) {
        this.receiver({
          data: batch.copyMessage(i),
          local: { address: batch.localAddress(i), port: batch.localPort(i) },
          remote: { address: batch.remoteAddress(i), port: batch.remotePort(i) },
        });
      }
    });
    engine.setCookieThreshold(this.options.cookieThreshold ?? null);
    this.engine = engine;
    this.options.log.info({ sockets: engine.sockets.map((s) => `${s.address}:${s.port}${s.natt ? ' (NAT-T)' : ''}`) }, 'IKE sockets open');
  }

  async stop(): Promise<void> {
    this.flush();
    this.engine?.close();
    this.engine = undefined;
  }

  private send(dg: Datagram): void {
    const engine = this.engine;
    if (engine === undefined) return;
    const family = dg.remote.address.includes(':') ? 6 : 4;
    let socket = -1;
    engine.sockets.forEach((s, i) => {
      if (s.port !== dg.local.port || s.family !== family) return;
      if (socket < 0 || s.address === dg.local.address) socket = i;
    });
    if (socket < 0) {
      this.options.log.warn({ local: `${dg.local.address}:${dg.local.port}` }, 'no IKE socket to send from');
      return;
    }
    const bound = engine.sockets[socket];
    const wildcard = bound !== undefined && (bound.address === '0.0.0.0' || bound.address === '::');
    engine.sender.sendTo({ socket, address: dg.remote.address, port: dg.remote.port, ...(wildcard ? { localAddress: dg.local.address } : {}) }, dg.data);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.engine !== undefined && !this.engine.isClosed) this.engine.sender.flush();
  }
}
