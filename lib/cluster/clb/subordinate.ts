// The CLB subordinate: while this gateway is not the HSRP active router it
// connects to VIP:port (the VIP lands on the active router, the primary),
// proves it holds the cluster secret, then sends HELLO every `slave hello` ms
// and LOAD every `slave update` ms. It re-homes — closes and connects to the
// VIP again — when HSRP reports a new active router, when the primary says
// goodbye, or when the primary is silent for holdtime.
//
//   connecting → await-challenge → established → (closed) → backoff → connecting
import net from 'node:net';
import type { Logger } from '../../log';
import { ChannelCrypto } from './channel';
import { Ticker, type Clock, type TimerHandle } from './clock';
import { frameHeader, framePayload, MessageType } from './frame';
import { FrameReader } from './frame-reader';
import { canonicalAddress } from '../../ip-address';
import { deriveSessionKeys, freshNonce, type ClusterKeys } from './keys';
import type { LocalLoad } from './local-load';
import {
  Capability,
  decodeGoodbye,
  decodeNonce,
  decodePrimaryInfo,
  encodeGoodbye,
  encodeHello,
  encodeLoad,
  encodeNonce,
  type GoodbyeReasonName,
  type LoadMessage,
  type PrimaryInfoMessage,
} from './messages';
import type { ClusterOptions } from './options';
import { formatHostPort } from './primary';
import type { RefusalCounter, RefusalReason } from './refusals';

export type SubordinateState = 'idle' | 'connecting' | 'await-challenge' | 'established' | 'backoff' | 'stopped';

/** First retry after a lost connection; doubles up to `slave hello`. */
export const minReconnectDelayMs = 25;
/** How long a goodbye may wait for room in the send buffer before the socket is destroyed. */
const lingerMs = 1000;
/** Minimum time between two "cannot reach the primary" warnings. */
const warnIntervalMs = 10_000;

export interface SubordinateStatus {
  readonly state: SubordinateState;
  /** VIP:port we connect to. */
  readonly target: string | undefined;
  /** The primary's address from its last PRIMARY-INFO. */
  readonly primaryAddress: string | undefined;
  readonly accepted: boolean;
  readonly lastInfo: PrimaryInfoMessage | undefined;
  /** Clock time the current connection was established. */
  readonly establishedAt: number | undefined;
  /** Clock time of the last valid frame from the primary. */
  readonly lastHeard: number | undefined;
  readonly lastLoad: LoadMessage | undefined;
  /** Connections established so far (each re-home adds one). */
  readonly connects: number;
}

export interface SubordinateRoleOptions {
  readonly options: ClusterOptions;
  readonly keys: ClusterKeys;
  readonly clock: Clock;
  readonly log: Logger;
  readonly refusals: RefusalCounter;
  readonly local: LocalLoad;
  /** This process's member id (random, non-zero, fixed for its lifetime). */
  readonly memberId: number;
  /** Port of the primary; default the `port` option (tests use an ephemeral one). */
  readonly primaryPort?: number;
  /** Called when a connection to the primary is established (for measurements and logs). */
  readonly onEstablished?: (primaryAddress: string | undefined) => void;
}

export class SubordinateRole {
  private stateValue: SubordinateState = 'idle';
  private virtualAddress: string | undefined;
  private socket: net.Socket | undefined;
  private reader = new FrameReader();
  private channel: ChannelCrypto | undefined;
  private nonce: Buffer | undefined;
  private helloTicker: Ticker | undefined;
  private updateTicker: Ticker | undefined;
  private liveness: TimerHandle | undefined;
  private retry: TimerHandle | undefined;
  private retryDelay = minReconnectDelayMs;
  private lastWarned = -Infinity;
  private info: PrimaryInfoMessage | undefined;
  private establishedAt: number | undefined;
  private lastHeard: number | undefined;
  private lastLoad: LoadMessage | undefined;
  private connects = 0;
  private wasAccepted = false;

  constructor(private readonly o: SubordinateRoleOptions) {}

  get state(): SubordinateState {
    return this.stateValue;
  }

  status(): SubordinateStatus {
    return {
      state: this.stateValue,
      target: this.virtualAddress === undefined ? undefined : formatHostPort(this.virtualAddress, this.port()),
      primaryAddress: this.info?.primaryAddress,
      accepted: this.stateValue === 'established' && this.info?.accepted === true,
      lastInfo: this.info,
      establishedAt: this.establishedAt,
      lastHeard: this.lastHeard,
      lastLoad: this.lastLoad,
      connects: this.connects,
    };
  }

  /**
   * Connects (again) to the primary behind virtualAddress, at once: called on
   * start and whenever HSRP reports another active router or VIP.
   */
  rehome(virtualAddress: string | undefined, why: string): void {
    if (this.stateValue === 'stopped') return;
    this.virtualAddress = virtualAddress;
    if (this.socket !== undefined) this.o.log.info({ why, vip: virtualAddress }, 'CLB subordinate re-homing');
    // No goodbye: the old primary is gone or no longer primary.
    this.disconnect(undefined);
    this.retryDelay = minReconnectDelayMs;
    this.connect();
  }

  /** Says goodbye to the primary and stops every timer. */
  stop(goodbye: GoodbyeReasonName = 'shutdown'): void {
    if (this.stateValue === 'stopped') return;
    this.disconnect(goodbye);
    this.stateValue = 'stopped';
  }

  private port(): number {
    return this.o.primaryPort ?? this.o.options.port;
  }

  private connect(): void {
    this.clearRetry();
    if (this.stateValue === 'stopped') return;
    const host = this.virtualAddress;
    if (host === undefined) {
      // No VIP known yet (HSRP still learning): wait for the next rehome().
      this.stateValue = 'idle';
      return;
    }
    this.stateValue = 'connecting';
    this.reader = new FrameReader();
    this.channel = undefined;
    const socket = net.connect({ host, port: this.port(), localAddress: this.o.options.localAddress });
    this.socket = socket;
    socket.setNoDelay(true);
    // On a LAN a connect and handshake take a millisecond; one that takes a whole
    // hello is going to a stale place (an old ARP entry for the VIP): start over.
    this.armLiveness(this.o.options.helloMs, 'no handshake within one hello');
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.nonce = freshNonce();
      // OPEN goes under the open key; the receive key is set once CHALLENGE brings the primary's nonce.
      this.channel = new ChannelCrypto(this.o.keys.open, this.o.keys.open, this.o.memberId);
      this.stateValue = 'await-challenge';
      socket.write(this.channel.seal('open', encodeNonce(this.nonce)));
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.receive(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.socket === socket) this.lost(`${err.code ?? err.message}`);
    });
    socket.on('close', () => {
      if (this.socket === socket) this.lost(this.stateValue === 'await-challenge' ? 'closed by the primary during the handshake (wrong cluster secret, or not the primary?)' : 'closed by the primary');
    });
  }

  private receive(chunk: Buffer): void {
    const { frames, error } = this.reader.push(chunk);
    for (const frame of frames) {
      this.handleFrame(frame);
      if (this.socket === undefined) return;
    }
    if (error !== undefined) this.refuse(error, 'stream from the primary');
  }

  private handleFrame(frame: Buffer): void {
    const channel = this.channel;
    if (channel === undefined || this.nonce === undefined) return this.refuse('unexpected-type', 'frame before OPEN was sent');
    if (this.stateValue === 'await-challenge') {
      // The session key depends on the primary's nonce, so it is read before
      // the MAC is checked — and believed only if the MAC then verifies.
      if (frameHeader(frame).type !== MessageType.challenge) return this.refuse('unexpected-type', 'expected CHALLENGE');
      const primaryNonce = decodeNonce(framePayload(frame));
      if (primaryNonce === undefined) return this.refuse('bad-payload', 'CHALLENGE nonce');
      const session = deriveSessionKeys(this.o.keys, this.nonce, primaryNonce, this.o.memberId);
      channel.rekey(session.toPrimary, session.toSubordinate);
    }
    const opened = channel.open(frame);
    if (!opened.ok) return this.refuse(opened.reason, opened.detail);
    this.lastHeard = this.o.clock.now();
    this.armLiveness(this.o.options.holdtimeMs, `primary silent for holdtime (${this.o.options.holdtimeMs} ms)`);
    switch (opened.type) {
      case 'challenge':
        if (this.stateValue !== 'await-challenge') return this.refuse('unexpected-type', 'second CHALLENGE');
        this.stateValue = 'established';
        this.establishedAt = this.o.clock.now();
        this.connects++;
        this.sendHello();
        this.sendLoad();
        this.helloTicker = new Ticker(this.o.clock, this.o.options.helloMs, () => this.sendHello()).start();
        this.updateTicker = new Ticker(this.o.clock, this.o.options.updateMs, () => this.sendLoad()).start();
        return;
      case 'primaryInfo': {
        const info = decodePrimaryInfo(opened.payload);
        if (info === undefined) return this.refuse('bad-payload', 'PRIMARY-INFO');
        const first = this.info === undefined || this.info.primaryAddress !== info.primaryAddress || !this.wasAccepted;
        this.info = info;
        if (!info.accepted) {
          this.o.log.warn({ primary: info.primaryAddress }, 'CLB primary did not accept this member');
          return this.lost('not accepted');
        }
        if (first) {
          this.wasAccepted = true;
          this.retryDelay = minReconnectDelayMs;
          this.o.log.info({ primary: info.primaryAddress, members: info.memberCount }, 'CLB subordinate accepted by the primary');
          this.o.onEstablished?.(info.primaryAddress);
        }
        return;
      }
      case 'goodbye': {
        const reason = decodeGoodbye(opened.payload);
        this.o.log.info({ reason: reason ?? 'unknown' }, 'CLB primary said goodbye; re-homing');
        return this.lost(`goodbye (${reason ?? 'unknown'})`, true);
      }
      default:
        return this.refuse('unexpected-type', `${opened.type} from the primary`);
    }
  }

  private sendHello(): void {
    const channel = this.channel;
    if (channel === undefined || this.socket === undefined) return;
    const load = this.o.local.sample();
    this.socket.write(
      channel.seal(
        'hello',
        encodeHello({
          address: canonicalAddress(this.o.options.localAddress),
          priority: this.o.options.priority,
          capabilities: Capability.redirectTarget,
          maxSession: load.maxSession,
        }),
      ),
    );
  }

  private sendLoad(): void {
    const channel = this.channel;
    if (channel === undefined || this.socket === undefined) return;
    this.lastLoad = this.o.local.sample();
    this.socket.write(channel.seal('load', encodeLoad(this.lastLoad)));
  }

  private refuse(reason: RefusalReason, detail: string): void {
    this.o.refusals.refuse(reason, this.virtualAddress ?? '?', detail);
    this.lost(`refused: ${reason}`);
  }

  /** The connection is gone: clean up and retry after the back-off. */
  private lost(why: string, promptly = false): void {
    if (this.socket === undefined) return;
    const wasEstablished = this.stateValue === 'established';
    this.disconnect(undefined);
    if (this.stateValue === 'stopped') return;
    const now = this.o.clock.now();
    if (wasEstablished || now - this.lastWarned >= warnIntervalMs) {
      this.lastWarned = now;
      this.o.log.warn({ primary: this.virtualAddress, why, retryMs: promptly ? 0 : this.retryDelay }, 'CLB connection to the primary lost');
    }
    this.stateValue = 'backoff';
    const delay = promptly ? 0 : this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.o.options.helloMs);
    this.retry = this.o.clock.setTimeout(() => this.connect(), delay);
  }

  private disconnect(goodbye: GoodbyeReasonName | undefined): void {
    this.helloTicker?.stop();
    this.updateTicker?.stop();
    this.helloTicker = undefined;
    this.updateTicker = undefined;
    if (this.liveness !== undefined) this.o.clock.clearTimeout(this.liveness);
    this.liveness = undefined;
    this.clearRetry();
    const socket = this.socket;
    this.socket = undefined;
    this.wasAccepted = false;
    this.establishedAt = undefined;
    if (socket !== undefined) {
      if (goodbye !== undefined && this.stateValue === 'established' && this.channel !== undefined && !socket.destroyed) {
        // Hand the goodbye to the kernel, then close without waiting for the primary.
        socket.end(this.channel.seal('goodbye', encodeGoodbye(goodbye)));
        socket.once('finish', () => socket.destroy());
        setTimeout(() => socket.destroy(), lingerMs).unref();
      } else {
        socket.destroy();
      }
    }
    this.channel = undefined;
    if (this.stateValue !== 'stopped') this.stateValue = 'idle';
  }

  /** No valid frame from the primary within ms: it is gone (or was never reached). */
  private armLiveness(ms: number, why: string): void {
    if (this.liveness !== undefined) this.o.clock.clearTimeout(this.liveness);
    this.liveness = this.o.clock.setTimeout(() => this.lost(why), ms);
  }

  private clearRetry(): void {
    if (this.retry !== undefined) this.o.clock.clearTimeout(this.retry);
    this.retry = undefined;
  }
}
