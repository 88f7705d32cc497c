// One subordinate's TCP connection, as the primary serves it:
//   await-open   first frame must be OPEN (open key, sequence 0); we answer
//                CHALLENGE with our nonce, under the fresh session key;
//   await-hello  the next frame must be a HELLO under the session key: only
//                now does the member join the table;
//   established  HELLO, LOAD and GOODBYE, each with the next sequence number.
// Anything else is refused: counted by reason, logged rate-limited, and the
// connection closed. A connection without a valid HELLO by the handshake
// deadline is closed too (slowloris).
import type net from 'node:net';
import type { Logger } from '../../log';
import { ChannelCrypto } from './channel';
import type { Clock, TimerHandle } from './clock';
import { FrameReader } from './frame-reader';
import { deriveSessionKeys, freshNonce, type ClusterKeys } from './keys';
import {
  decodeGoodbye,
  decodeHello,
  decodeLoad,
  decodeNonce,
  encodeGoodbye,
  encodeNonce,
  encodePrimaryInfo,
  type GoodbyeReasonName,
  type HelloMessage,
  type LoadMessage,
  type PrimaryInfoMessage,
} from './messages';
import type { RefusalCounter, RefusalReason } from './refusals';

export type PrimaryConnectionState = 'await-open' | 'await-hello' | 'established' | 'closed';

/** What the primary decides about a HELLO: accept, or refuse for a reason. */
export type HelloVerdict = { readonly accept: true } | { readonly accept: false; readonly reason: RefusalReason; readonly detail: string };

export interface PrimaryConnectionHandlers {
  hello(connection: PrimaryConnection, hello: HelloMessage, first: boolean): HelloVerdict;
  /** False when the member is not (any more) in the table. */
  load(connection: PrimaryConnection, load: LoadMessage): boolean;
  goodbye(connection: PrimaryConnection, reason: GoodbyeReasonName): void;
  closed(connection: PrimaryConnection): void;
}

export interface PrimaryConnectionOptions {
  readonly socket: net.Socket;
  readonly keys: ClusterKeys;
  readonly clock: Clock;
  readonly handshakeTimeoutMs: number;
  readonly refusals: RefusalCounter;
  readonly handlers: PrimaryConnectionHandlers;
  readonly log: Logger;
}

/** How long a goodbye may wait for room in the send buffer before the socket is destroyed. */
const lingerMs = 1000;

export class PrimaryConnection {
  readonly peer: string;
  readonly openedAt: number;
  private stateValue: PrimaryConnectionState = 'await-open';
  private readonly reader = new FrameReader();
  private readonly channel: ChannelCrypto;
  private deadline: TimerHandle | undefined;
  private memberAddress: string | undefined;

  constructor(private readonly options: PrimaryConnectionOptions) {
    const { socket, clock } = options;
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.openedAt = clock.now();
    // Until OPEN arrives we only verify with the open key; we send nothing before it.
    this.channel = new ChannelCrypto(options.keys.open, options.keys.open, undefined);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      if (this.reader.endedMidFrame()) this.refuse('truncated', `closed after ${this.reader.buffered} octets of a frame`);
      else this.close();
    });
    socket.on('error', (err) => {
      options.log.debug({ peer: this.peer, err: err.message }, 'CLB connection error');
      this.close();
    });
    socket.on('close', () => {
      options.log.debug({ peer: this.peer, member: this.memberAddress }, 'CLB connection closed');
      this.close();
    });
    this.deadline = clock.setTimeout(() => this.refuse('handshake-timeout', `no valid HELLO within ${options.handshakeTimeoutMs} ms`), options.handshakeTimeoutMs);
  }

  get state(): PrimaryConnectionState {
    return this.stateValue;
  }

  /** The member address its HELLO claimed (once accepted). */
  get address(): string | undefined {
    return this.memberAddress;
  }

  get memberId(): number | undefined {
    return this.channel.memberId;
  }

  isClosed(): boolean {
    return this.stateValue === 'closed';
  }

  sendPrimaryInfo(info: PrimaryInfoMessage): void {
    this.send(this.channel.seal('primaryInfo', encodePrimaryInfo(info)));
  }

  /** Closes the connection; with a goodbye reason when the handshake is done. */
  close(goodbye?: GoodbyeReasonName): void {
    if (this.stateValue === 'closed') return;
    const wasEstablished = this.stateValue === 'established';
    this.stateValue = 'closed';
    this.clearDeadline();
    const { socket } = this.options;
    if (goodbye !== undefined && wasEstablished && !socket.destroyed) {
      // Hand the goodbye to the kernel and close without waiting for the peer:
      // once HSRP has moved the VIP its FIN may never reach us.
      socket.end(this.channel.seal('goodbye', encodeGoodbye(goodbye)));
      socket.once('finish', () => socket.destroy());
      setTimeout(() => socket.destroy(), lingerMs).unref();
    } else {
      socket.destroy();
    }
    this.options.handlers.closed(this);
  }

  /** Refuses the peer: counted, logged (rate-limited), connection closed without a word. */
  refuse(reason: RefusalReason, detail: string): void {
    if (this.stateValue === 'closed') return;
    this.options.refusals.refuse(reason, this.peer, detail);
    this.close();
  }

  private receive(chunk: Buffer): void {
    if (this.stateValue === 'closed') return;
    const { frames, error } = this.reader.push(chunk);
    for (const frame of frames) {
      this.handleFrame(frame);
      if (this.isClosed()) return;
    }
    if (error !== undefined) this.refuse(error, `after ${frames.length} complete frames`);
  }

  private handleFrame(frame: Buffer): void {
    const opened = this.channel.open(frame);
    if (!opened.ok) return this.refuse(opened.reason, opened.detail);
    const { type, payload } = opened;
    switch (this.stateValue) {
      case 'await-open': {
        if (type !== 'open') return this.refuse('unexpected-type', `${type} before OPEN`);
        const subordinateNonce = decodeNonce(payload);
        if (subordinateNonce === undefined) return this.refuse('bad-payload', 'OPEN nonce');
        const primaryNonce = freshNonce();
        const session = deriveSessionKeys(this.options.keys, subordinateNonce, primaryNonce, opened.header.memberId);
        this.channel.rekey(session.toSubordinate, session.toPrimary);
        this.stateValue = 'await-hello';
        this.send(this.channel.seal('challenge', encodeNonce(primaryNonce)));
        return;
      }
      case 'await-hello':
        if (type === 'load') return this.refuse('unknown-member', 'LOAD before HELLO');
        if (type !== 'hello') return this.refuse('unexpected-type', `${type} before HELLO`);
        return this.handleHello(payload, true);
      case 'established':
        if (type === 'hello') return this.handleHello(payload, false);
        if (type === 'load') return this.handleLoad(payload);
        if (type === 'goodbye') {
          const reason = decodeGoodbye(payload);
          if (reason === undefined) return this.refuse('bad-payload', 'GOODBYE reason');
          this.options.handlers.goodbye(this, reason);
          return this.close();
        }
        return this.refuse('unexpected-type', `${type} from a subordinate`);
      case 'closed':
        return;
    }
  }

  private handleHello(payload: Buffer, first: boolean): void {
    const hello = decodeHello(payload);
    if (hello === undefined) return this.refuse('bad-payload', 'HELLO');
    if (!first && hello.address !== this.memberAddress) {
      return this.refuse('unknown-member', `HELLO for ${hello.address} on the connection of ${this.memberAddress ?? '?'}`);
    }
    if (first) this.memberAddress = hello.address;
    const verdict = this.options.handlers.hello(this, hello, first);
    if (!verdict.accept) return this.refuse(verdict.reason, verdict.detail);
    if (first && this.stateValue === 'await-hello') {
      this.stateValue = 'established';
      this.clearDeadline();
    }
  }

  private handleLoad(payload: Buffer): void {
    const load = decodeLoad(payload);
    if (load === undefined) return this.refuse('bad-payload', 'LOAD');
    if (!this.options.handlers.load(this, load)) return this.refuse('unknown-member', `LOAD from ${this.memberAddress ?? '?'}, not in the table`);
  }

  private send(frame: Buffer): void {
    if (!this.options.socket.destroyed) this.options.socket.write(frame);
  }

  private clearDeadline(): void {
    if (this.deadline !== undefined) this.options.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }
}
