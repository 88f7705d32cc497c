// The UDP engine as TypeScript sees it: the IKE sockets, the batches the
// native fast path passes up, the send queue, the shared control words
// (redirect on/off, cookie threshold, half-open count), the target table and
// the counters. One object per gateway; the IKE state machines get their
// datagrams from onBatch and answer through `sender`.
//
// Threading ('thread', the default): a native I/O thread drains the sockets
// and runs the fast path, so redirects and cookies keep flowing while the JS
// thread is busy (GC, IKE_AUTH work, a long `show`); only datagrams bound for
// TypeScript cross to the JS thread, one callback per batch. 'event-loop'
// polls the sockets from libuv on the JS thread instead (bench/redirect
// measures both; see ARCHITECTURE.md for the numbers behind the default).
import { IkelbError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { DataplaneCounters } from './dataplane-counters';
import { addressFamily } from '../ip-address';
import { ReceivedBatch } from './received-batch';
import { SendQueue } from './send-queue';
import { SharedTargetTable } from './target-table';
import { udpNative, type NativeSocketInfo, type NativeUdpEngine, type UdpLayout } from './udp-native';

export interface ListenAddress {
  /** Bind address; 0.0.0.0 / :: for every address (replies still leave from the address a request was sent to). */
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** NAT-T port: IKE behind the 4-octet non-ESP marker, ESP to the ESP hook (RFC 3948). */
  readonly natt?: boolean;
}

export interface UdpEngineOptions {
  readonly listen: readonly ListenAddress[];
  /** Who drains the sockets: a native I/O thread (default) or the JS event loop. */
  readonly mode?: 'thread' | 'event-loop';
  /** Datagrams per recvmmsg/sendmmsg (default 64). */
  readonly batch?: number;
  /** SO_RCVBUF / SO_SNDBUF bytes (default 4 MiB each). */
  readonly receiveBuffer?: number;
  readonly sendBuffer?: number;
  /** false: no fast path, every IKE datagram goes to TypeScript. */
  readonly fastPath?: boolean;
  /**
   * Niceness of the I/O thread (default -5: about three times the JS thread's
   * CPU weight, so redirects preempt JS work on a shared core; needs
   * CAP_SYS_NICE, ignored without it). 0 leaves it alone.
   */
  readonly ioThreadNice?: number;
  readonly log?: Logger;
}

/** Called once per batch, on the JS thread. The batch is valid until it returns. */
export type BatchHandler = (batch: ReceivedBatch, engine: UdpEngine) => void;

export interface CookiePolicy {
  /** Half-open IKE SAs at which cookies are demanded: 0 = always, null = never (`crypto ikev2 cookie-challenge N`). */
  readonly threshold: number | null;
}

export class UdpEngine {
  readonly sockets: readonly NativeSocketInfo[];
  readonly sender: SendQueue;
  readonly counters: DataplaneCounters;
  readonly targets: SharedTargetTable;
  /** Replace to receive batches; the default drops them (counted as passed_to_js). */
  onBatch: BatchHandler = () => undefined;

  private readonly control: Uint32Array;
  private readonly layout: UdpLayout;
  private closed = false;

  private constructor(
    private readonly native: NativeUdpEngine,
    private readonly batches: readonly ReceivedBatch[],
    layout: UdpLayout,
    private readonly log: Logger,
    readonly mode: 'thread' | 'event-loop',
  ) {
    this.layout = layout;
    const buffers = native.buffers;
    this.control = new Uint32Array(buffers.control, 0, layout.control.words);
    this.counters = new DataplaneCounters(buffers.counters, layout.counters, layout.targets.max);
    this.targets = new SharedTargetTable(buffers.targets, buffers.projection, layout.targets);
    this.sockets = native.sockets();
    this.sender = new SendQueue(native, buffers.send, this.control, layout, this.sockets.map((s) => s.family));
  }

  /** Opens and binds every listen address; throws IKELB_ERR_UDP_BIND naming the address that failed. */
  static open(options: UdpEngineOptions, onBatch?: BatchHandler): UdpEngine {
    for (const l of options.listen) {
      if (addressFamily(l.address) === undefined) throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `listen address '${l.address}' is not an IP address`);
    }
    const { UdpEngine: NativeEngine, layout } = udpNative();
    let self: UdpEngine | undefined;
    // Created once: the native side calls it with (segment, count), nothing else is allocated per batch.
    const deliver = (segment: number, count: number): void => {
      if (self === undefined || self.closed) return;
      const batch = self.batches[segment];
      if (batch === undefined) return;
      batch.count = count;
      try {
        self.onBatch(batch, self);
      } catch (err) {
        self.log.error({ err }, 'batch handler threw; the batch is dropped, the engine keeps serving');
      }
    };
    const native = new NativeEngine(deliver);
    const receive = native.buffers.receive;
    const batches: ReceivedBatch[] = [];
    for (let s = 0; s < layout.segment.count; s++) batches.push(new ReceivedBatch(receive, s, layout));
    native.open({
      listen: options.listen.map((l) => ({ address: l.address, port: l.port, natt: l.natt ?? false })),
      mode: options.mode ?? 'thread',
      ...(options.batch !== undefined ? { batch: options.batch } : {}),
      ...(options.receiveBuffer !== undefined ? { receiveBuffer: options.receiveBuffer } : {}),
      ...(options.sendBuffer !== undefined ? { sendBuffer: options.sendBuffer } : {}),
      ...(options.fastPath !== undefined ? { fastPath: options.fastPath } : {}),
      ...(options.ioThreadNice !== undefined ? { ioThreadNice: options.ioThreadNice } : {}),
    });
    self = new UdpEngine(native, batches, layout, options.log ?? silentLogger, options.mode ?? 'thread');
    if (onBatch !== undefined) self.onBatch = onBatch;
    return self;
  }

  /** `crypto ikev2 redirect gateway init`: redirect IKE_SA_INIT from the fast path. */
  setRedirectInit(enabled: boolean): void {
    Atomics.store(this.control, this.layout.control.redirectInit, enabled ? 1 : 0);
  }

  /** `crypto ikev2 cookie-challenge N` (null: never, 0: always). */
  setCookieThreshold(threshold: number | null): void {
    const value = threshold === null ? this.layout.control.cookieNever : Math.max(0, Math.min(threshold, this.layout.control.cookieNever - 1));
    Atomics.store(this.control, this.layout.control.cookieThreshold, value);
  }

  /** The IKE gateway reports its half-open SA count here (cheap: one store, no native call). */
  setHalfOpen(count: number): void {
    Atomics.store(this.control, this.layout.control.halfOpen, Math.max(0, Math.min(count, 0xffffffff)) >>> 0);
  }

  get cookieThreshold(): number | null {
    const v = Atomics.load(this.control, this.layout.control.cookieThreshold);
    return v === this.layout.control.cookieNever ? null : v;
  }
  get halfOpen(): number {
    return Atomics.load(this.control, this.layout.control.halfOpen);
  }
  get redirectInit(): boolean {
    return Atomics.load(this.control, this.layout.control.redirectInit) === 1;
  }

  /** New cookie secret; cookies made with the previous one stay valid until the next rotation (RFC 7296 §2.6). */
  rotateCookieSecret(secret?: Uint8Array): number {
    return this.native.rotateCookieSecret(secret);
  }

  get cookieVersion(): number {
    return this.native.cookieVersion();
  }

  /** Keep (default) or stop keeping the process alive for this engine, like a dgram socket. */
  ref(): void {
    this.native.ref();
  }
  unref(): void {
    this.native.unref();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Stops the I/O thread and closes the sockets; idempotent. Safe inside a batch callback. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.close();
  }
}
