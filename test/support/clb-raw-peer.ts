// A hand-driven CLB subordinate for attack tests: it speaks the protocol one
// frame at a time (or not at all), so a test can replay, tamper, stall or
// send garbage on a real TCP connection to a real primary.
import net from 'node:net';
import { ChannelCrypto } from '../../lib/cluster/clb/channel';
import { frameHeader, framePayload, MessageType, sealFrame, type MessageTypeName } from '../../lib/cluster/clb/frame';
import { FrameReader } from '../../lib/cluster/clb/frame-reader';
import { deriveSessionKeys, freshNonce, type ClusterKeys, type SessionKeys } from '../../lib/cluster/clb/keys';
import { decodeNonce, encodeHello, encodeLoad, encodeNonce, type HelloMessage, type LoadMessage } from '../../lib/cluster/clb/messages';

export class RawPeer {
  readonly frames: Buffer[] = [];
  /** Every frame this peer sent, in order (for replays). */
  readonly sent: Buffer[] = [];
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private waiters: Array<() => void> = [];
  private isClosed = false;
  session: SessionKeys | undefined;
  private sequence = 0;

  private constructor(
    readonly socket: net.Socket,
    readonly memberId: number,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      this.isClosed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.reader.push(chunk).frames);
      this.wake();
    });
  }

  static connect(port: number, host = '127.0.0.1', memberId = 0x5eed, localAddress?: string): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(localAddress === undefined ? { port, host } : { port, host, localAddress });
      socket.once('connect', () => resolve(new RawPeer(socket, memberId)));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  write(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends OPEN under keys, checks CHALLENGE, and keeps the session keys. */
  async handshake(keys: ClusterKeys): Promise<void> {
    const nonce = freshNonce();
    const open = new ChannelCrypto(keys.open, keys.open, this.memberId).seal('open', encodeNonce(nonce));
    this.sent.push(open);
    this.write(open);
    this.sequence = 1;
    const challenge = await this.nextFrame();
    if (frameHeader(challenge).type !== MessageType.challenge) throw new Error('expected CHALLENGE');
    const primaryNonce = decodeNonce(framePayload(challenge));
    if (primaryNonce === undefined) throw new Error('bad CHALLENGE');
    this.session = deriveSessionKeys(keys, nonce, primaryNonce, this.memberId);
  }

  /** Seals type/payload under the session key with the next sequence number (or the one given). */
  seal(type: MessageTypeName, payload: Buffer, options: { sequence?: number; memberId?: number } = {}): Buffer {
    if (this.session === undefined) throw new Error('no session: handshake first');
    const sequence = options.sequence ?? this.sequence++;
    return sealFrame(this.session.toPrimary, MessageType[type], options.memberId ?? this.memberId, sequence, payload);
  }

  send(type: MessageTypeName, payload: Buffer, options: { sequence?: number; memberId?: number } = {}): Buffer {
    const frame = this.seal(type, payload, options);
    this.sent.push(frame);
    this.write(frame);
    return frame;
  }

  hello(m: HelloMessage): Buffer {
    return this.send('hello', encodeHello(m));
  }

  load(m: LoadMessage): Buffer {
    return this.send('load', encodeLoad(m));
  }

  /** The next frame from the primary (or throws when the connection closes or time runs out). */
  async nextFrame(timeoutMs = 2000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame !== undefined) return frame;
      if (this.isClosed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A port nothing listens on right now (bound and released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
