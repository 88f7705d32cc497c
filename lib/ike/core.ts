// The sans-I/O IKEv2 core: datagrams and clock ticks in, datagrams and SA
// events out. It owns the SA table and the one schedule of every timer; it
// never opens a socket or arms a Node timer itself (the host calls tick() at
// nextWakeup()). Crypto is reached through the async IkeCrypto port.
//
// Pipeline of one datagram (RFC 7296 section in brackets):
//   decode header → IKE_SA_INIT request? → ike-sa-init.ts (stateless checks first)
//   otherwise look the SA up by OUR SPI [§2.6] → check the peer's SPI and role
//   → serialise per SA (async crypto must not interleave two messages)
//   → request: retransmission? answer from cache [§2.1]; outside window? drop [§2.3]
//   → response: must answer our outstanding request
//   → SK: verify ICV, decrypt [§3.14] → payload rules table [exchange-rules.ts]
//   → exchange handler (ike-auth.ts, create-child-sa.ts, informational.ts)
//   → response protected and cached; next queued request of ours sent.
// Every drop is counted by reason (stats.ts); no exception escapes receive().
import { allocRetained } from '../arena';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { ExchangeType, NotifyType, PayloadType } from './constants';
import { CookieJar } from './cookie';
import type { IkeCrypto } from './crypto-port';
import type { SaEvent, SaEventListener } from './events';
import { checkPayloads, exchangeName, rulesFor, violationText } from './exchange-rules';
import { headerLength, writeHeader, writeSkHeader } from './header';
import { ChildSa, IkeSa, type Endpoint, type IkeSaState } from './ike-sa';
import { notify, type Payload } from './payloads';
import type { IkePolicy } from './policy';
import { noRedirects, type RedirectProvider } from './redirect-provider';
import { SaTable } from './sa-table';
import { Schedule } from './schedule';
import { IkeStats, type DropReason } from './stats';
import type { DecodedDatagram, IkeWire } from './wire-port';
import { respondIkeSaInit, handleIkeSaInitResponse, initiate, type InitiateOptions } from './ike-sa-init';
import { respondIkeAuth } from './ike-auth';
import { respondCreateChildSa, startChildRekey, startIkeRekey } from './create-child-sa';
import { respondInformational, sendDeleteIke, sendDeleteChildren, sendDpd, sendRedirectInformational } from './informational';
import type { RedirectTarget } from './redirect-provider';

export interface Datagram {
  /** The IKE message (non-ESP marker already stripped on port 4500). */
  readonly data: Buffer;
  /** Our address and port (where it arrived / where it leaves from). */
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

export interface IkeCoreOptions {
  readonly policy: IkePolicy;
  readonly crypto: IkeCrypto;
  readonly wire: IkeWire;
  /** Milliseconds of a monotonic clock. */
  readonly now: () => number;
  readonly send: (datagram: Datagram) => void;
  readonly onEvent?: SaEventListener;
  readonly redirect?: RedirectProvider;
  readonly log?: Logger;
  /**
   * 'upstream': the UDP engine's fast path demands and checks cookies (it is
   * told the half-open count through onHalfOpenChange); otherwise this core
   * does it with its own CookieJar (RFC 7296 §2.6).
   */
  readonly cookies?: 'upstream' | CookieJar;
  /** Called whenever the number of half-open responder SAs changes. */
  readonly onHalfOpenChange?: (count: number) => void;
  readonly random?: (length: number) => Buffer;
}

/** A request of ours waiting for its response (one at a time: window size 1, RFC 7296 §2.3). */
export interface PendingRequest {
  readonly exchange: number;
  /** For logs: 'dpd', 'delete', 'rekey-child'... */
  readonly what: string;
  onResponse(payloads: readonly Payload[], datagram: Datagram): void | Promise<void>;
  /** The peer never answered, or answered with something unusable. */
  onFailure?(reason: string): void;
}

interface QueuedRequest {
  readonly exchange: number;
  readonly payloads: readonly Payload[];
  readonly pending: PendingRequest;
}

interface InboxItem {
  readonly datagram: Datagram;
  readonly decoded: DecodedDatagram;
}

/** What an exchange handler answers a request with. */
export interface Reply {
  readonly payloads: readonly Payload[];
  /** Runs after the response went out (e.g. delete the SA, start a rekey's follow-up). */
  readonly after?: () => void;
}

/** Messages that may wait for a busy SA; more are dropped (a peer has at most one request in flight). */
const inboxLimit = 8;
/** A peer's answer that says "try again later" (TEMPORARY_FAILURE) is retried after this long. */
export const temporaryFailureRetryMs = 2000;

export class IkeCore {
  readonly table = new SaTable();
  readonly stats = new IkeStats();
  readonly schedule = new Schedule<IkeSa>();
  readonly policy: IkePolicy;
  readonly crypto: IkeCrypto;
  readonly wire: IkeWire;
  readonly log: Logger;
  readonly redirect: RedirectProvider;
  readonly cookieJar: CookieJar | undefined;
  readonly now: () => number;
  readonly random: (length: number) => Buffer;
  /** Inbound ESP SPIs of every CHILD SA, so each is unique on this gateway. */
  readonly childSpis = new Set<number>();
  private readonly listeners: SaEventListener[] = [];
  private nextChildId = 1;
  private lastHalfOpen = 0;
  private readonly lastDropLog = new Map<string, number>();
  /** Random octets for values used at once (randomUint32), drawn 256 at a time. */
  private reserve: Buffer | undefined;
  private reserveAt = 0;

  constructor(private readonly options: IkeCoreOptions) {
    this.policy = options.policy;
    this.crypto = options.crypto;
    this.wire = options.wire;
    this.now = options.now;
    this.log = options.log ?? silentLogger;
    this.redirect = options.redirect ?? noRedirects;
    this.random = options.random ?? ((n) => options.crypto.random(n));
    this.cookieJar = options.cookies === 'upstream' ? undefined : (options.cookies ?? new CookieJar(this.random));
    if (options.onEvent !== undefined) this.listeners.push(options.onEvent);
  }

  onEvent(listener: SaEventListener): void {
    this.listeners.push(listener);
  }

  // ------------------------------------------------------------------ input

  /**
   * Handles one datagram; never throws. The core takes ownership of
   * `datagram.data` (it decrypts in place and may keep it): pass a copy of
   * any buffer that will be reused. A message that needs no worker-pool job
   * (IKE_AUTH with pre-shared keys, INFORMATIONAL) is handled before this
   * returns; the promise settles when the handling is done.
   */
  receive(dg: Datagram): Promise<void> {
    return this.receiveNow(dg) ?? handled;
  }

  /**
   * receive() without a promise when the datagram was handled before returning (undefined),
   * for the gateway's receive path: no promise and no microtask per synchronously handled datagram.
   */
  receiveNow(dg: Datagram): void | Promise<void> {
    let pending: void | Promise<void>;
    try {
      pending = this.dispatch(dg);
    } catch (err) {
      this.internalError(err, dg);
      pending = undefined;
    }
    if (pending === undefined) {
      this.reportHalfOpen();
      return undefined;
    }
    return pending.then(
      () => this.reportHalfOpen(),
      (err: unknown) => {
        this.internalError(err, dg);
        this.reportHalfOpen();
      },
    );
  }

  private internalError(err: unknown, dg: Datagram): void {
    this.log.error({ err, peer: `${dg.remote.address}:${dg.remote.port}` }, 'internal error while handling a datagram');
  }

  /** Runs every timer due at now(). The host calls it at (or after) nextWakeup(). */
  tick(): void {
    const now = this.now();
    for (let sa = this.schedule.popDue(now); sa !== undefined; sa = this.schedule.popDue(now)) {
      if (sa.state === 'dead') continue;
      try {
        this.wake(sa, now);
      } catch (err) {
        this.log.error({ err, sa: sa.id }, 'internal error in an SA timer');
      }
      if (!sa.isDead()) this.arm(sa);
    }
    this.reportHalfOpen();
  }

  /** When tick() should run next (ms of now()), or undefined when nothing is scheduled. */
  nextWakeup(): number | undefined {
    return this.schedule.nextDeadline();
  }

  // --------------------------------------------------------------- commands

  /** Starts an IKE SA as initiator (the client). */
  initiate(options: InitiateOptions): IkeSa {
    return initiate(this, options);
  }

  /** `clear crypto ikev2 sa ID`: sends a Delete and removes the SA. False if no such SA. */
  deleteSa(id: number): boolean {
    const sa = this.table.getById(id);
    if (sa === undefined) return false;
    this.closeSa(sa, 'cleared by operator');
    return true;
  }

  /** Deletes every SA (shutdown): Delete sent best-effort, state dropped at once. */
  deleteAll(reason: string): void {
    for (const sa of [...this.table.values()]) {
      if (sa.state === 'established' && sa.ctxOut !== undefined) sendDeleteIke(this, sa, false);
      this.destroy(sa, reason);
    }
  }

  /** Moves an established client elsewhere with an INFORMATIONAL N(REDIRECT) (RFC 5685 §5). */
  redirectSa(id: number, target: RedirectTarget): boolean {
    const sa = this.table.getById(id);
    if (sa === undefined || sa.state !== 'established') return false;
    sendRedirectInformational(this, sa, target);
    return true;
  }

  /** Starts a rekey of the IKE SA, or of its CHILD SA `childId` (tests and operators). */
  rekey(id: number, childId?: number): boolean {
    const sa = this.table.getById(id);
    if (sa === undefined || sa.state !== 'established') return false;
    if (childId === undefined) {
      void startIkeRekey(this, sa);
      return true;
    }
    const child = sa.children.find((c) => c.id === childId);
    if (child === undefined || child.state !== 'installed') return false;
    void startChildRekey(this, sa, child);
    return true;
  }

  /** Sends a liveness check now (tests and operators). */
  checkLiveness(id: number): boolean {
    const sa = this.table.getById(id);
    if (sa === undefined || sa.state !== 'established') return false;
    sendDpd(this, sa);
    return true;
  }

  // ------------------------------------------------------------- dispatch

  // Synchronous until a step needs the worker pool (DH, signatures): each
  // function below returns undefined when it is done, or the promise of the
  // rest. A PSK handshake's IKE_AUTH thus runs in one call, without a chain
  // of async functions and promise jobs per message.

  private dispatch(dg: Datagram): void | Promise<void> {
    const decoded = this.wire.decode(dg.data);
    if (!decoded.ok) {
      this.drop('malformed', dg, decoded.detail);
      return;
    }
    const h = decoded.header;
    if (decoded.majorVersion !== 2) {
      this.drop('version', dg, `major version ${decoded.majorVersion}`);
      return;
    }
    this.stats.countReceived(exchangeName(h.exchange), h.response);
    if (h.exchange === ExchangeType.IKE_SA_INIT && !h.response) return respondIkeSaInit(this, dg, decoded);
    // The I flag says whether the SENDER is the original initiator; our SPI is the other one.
    const ours = h.initiator ? h.spiR : h.spiI;
    const sa = this.table.get(ours);
    if (sa === undefined) {
      this.drop('unknown-spi', dg, `no IKE SA with SPI ${ours.toString('hex')}`);
      return;
    }
    if (h.initiator === sa.initiator) {
      this.drop('spi-mismatch', dg, 'initiator flag names our own role');
      return;
    }
    const theirs = h.initiator ? h.spiI : h.spiR;
    const learning = h.exchange === ExchangeType.IKE_SA_INIT && h.response;
    if (!learning && !sa.remoteSpiIs(theirs)) {
      this.drop('spi-mismatch', dg, 'peer SPI does not match the SA');
      return;
    }
    return this.deliver(sa, dg, decoded);
  }

  /** One message at a time per SA: async crypto of one must not interleave with another. */
  private deliver(sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): void | Promise<void> {
    if (sa.busy) {
      const h = decoded.header;
      if (!h.response && h.messageId === sa.busyRequestId) {
        this.drop('retransmit-in-progress', dg);
        return;
      }
      const inbox = (sa.inbox ??= []) as InboxItem[];
      if (inbox.length >= inboxLimit) {
        this.drop('busy', dg);
        return;
      }
      inbox.push({ datagram: dg, decoded });
      return;
    }
    return this.serve(sa, dg, decoded);
  }

  /** Processes a message with the SA busy, then whatever waited in its inbox meanwhile. */
  private serve(sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): void | Promise<void> {
    for (;;) {
      sa.busy = true;
      let pending: void | Promise<void>;
      try {
        pending = decoded.header.response ? this.processResponse(sa, dg, decoded) : this.processRequest(sa, dg, decoded);
      } catch (err) {
        idle(sa);
        throw err;
      }
      if (pending !== undefined) {
        return pending.then(
          () => this.serveNext(sa),
          (err: unknown) => {
            idle(sa);
            throw err;
          },
        );
      }
      const next = this.nextInInbox(sa);
      if (next === undefined) {
        this.pumpQueue(sa);
        return;
      }
      dg = next.datagram;
      decoded = next.decoded;
    }
  }

  private serveNext(sa: IkeSa): void | Promise<void> {
    const next = this.nextInInbox(sa);
    if (next === undefined) {
      this.pumpQueue(sa);
      return;
    }
    return this.serve(sa, next.datagram, next.decoded);
  }

  /** Ends the busy period of one message; the next message that waited, if the SA lives on. */
  private nextInInbox(sa: IkeSa): InboxItem | undefined {
    idle(sa);
    if (sa.state === 'dead') {
      sa.inbox = undefined;
      return undefined;
    }
    this.arm(sa);
    const inbox = sa.inbox as InboxItem[] | undefined;
    if (inbox === undefined) return undefined;
    const next = inbox.shift();
    if (inbox.length === 0) sa.inbox = undefined;
    return next;
  }

  private processRequest(sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): void | Promise<void> {
    const h = decoded.header;
    const id = h.messageId;
    // RFC 7296 §2.1: a retransmitted request is answered with the same response, not processed again.
    // Its identity is its last 8 octets, taken before SK is decrypted in place: the end of the ICV,
    // a MAC over the whole message under the peer's key (every request we answered was protected
    // and verified), so two different requests of the peer differ there; a copy of those octets on
    // other content only gets the response already sent, as a replay of the request itself would.
    const data = dg.data;
    const tailHi = data.readInt32BE(data.length - 8);
    const tailLo = data.readInt32BE(data.length - 4);
    if (id === sa.peerNextRequestId - 1 && sa.lastResponse !== undefined) {
      if (tailHi === sa.lastRequestTailHi && tailLo === sa.lastRequestTailLo) {
        this.stats.retransmitsAnswered++;
        this.sendRaw(dg.local, dg.remote, sa.lastResponse);
        return;
      }
      this.drop('message-id-window', dg, `message ID ${id} reused with different content`);
      return;
    }
    if (id !== sa.peerNextRequestId) {
      this.drop('message-id-window', dg, `request message ID ${id}, expected ${sa.peerNextRequestId}`);
      return;
    }
    if (h.exchange === ExchangeType.IKE_SA_INIT) {
      this.drop('exchange-out-of-order', dg, 'IKE_SA_INIT request on an existing SA');
      return;
    }
    const rules = rulesFor(h.exchange, false);
    if (rules === undefined) {
      this.drop('unsupported-exchange', dg, exchangeName(h.exchange));
      return;
    }
    const inner = this.unprotect(sa, dg, decoded);
    if (inner === undefined) return;
    if (h.exchange !== ExchangeType.IKE_AUTH && (sa.state === 'init-done' || sa.state === 'init-sent' || sa.state === 'auth-sent')) {
      // RFC 7296 §1.2: IKE_AUTH must complete before any other exchange.
      this.drop('exchange-out-of-order', dg, `${exchangeName(h.exchange)} before IKE_AUTH completed`);
      return;
    }
    if (h.exchange === ExchangeType.IKE_AUTH && (sa.initiator || sa.state !== 'init-done')) {
      this.drop('exchange-out-of-order', dg, `IKE_AUTH request in state ${sa.state}`);
      return;
    }
    this.adoptEndpoints(sa, dg);
    sa.lastHeardAt = this.now();
    this.countNotifies(inner.payloads);
    sa.busyRequestId = id;
    const violation = checkPayloads(rules, inner.types);
    let reply: Reply | Promise<Reply>;
    if (violation !== undefined) {
      // RFC 7296 §3.10.1: INVALID_SYNTAX, in an encrypted response to a message whose ICV was valid.
      this.logDrop('not-allowed-in-exchange', dg, violationText(violation, h.exchange, false));
      this.stats.drop('not-allowed-in-exchange');
      const fatal = h.exchange === ExchangeType.IKE_AUTH;
      reply = { payloads: [notify(NotifyType.INVALID_SYNTAX)], ...(fatal ? { after: () => this.destroy(sa, 'invalid IKE_AUTH request') } : {}) };
    } else {
      switch (h.exchange) {
        case ExchangeType.IKE_AUTH:
          reply = respondIkeAuth(this, sa, inner.payloads, dg);
          break;
        case ExchangeType.CREATE_CHILD_SA:
          reply = respondCreateChildSa(this, sa, inner.payloads, dg);
          break;
        default:
          reply = respondInformational(this, sa, inner.payloads, dg);
          break;
      }
    }
    if (reply instanceof Promise) return reply.then((r) => this.answerRequest(sa, dg, h.exchange, id, tailHi, tailLo, r));
    this.answerRequest(sa, dg, h.exchange, id, tailHi, tailLo, reply);
  }

  /** Sends (and caches) the answer to the peer's request `id`, then runs the reply's follow-up. */
  private answerRequest(sa: IkeSa, dg: Datagram, exchange: number, id: number, tailHi: number, tailLo: number, reply: Reply): void {
    if (sa.state === 'dead') return;
    this.sendResponse(sa, dg, exchange, id, reply.payloads);
    sa.peerNextRequestId = id + 1;
    sa.lastRequestTailHi = tailHi;
    sa.lastRequestTailLo = tailLo;
    reply.after?.();
  }

  private processResponse(sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): void | Promise<void> {
    const h = decoded.header;
    const pending = sa.pending as PendingRequest | undefined;
    if (sa.outstanding === undefined || pending === undefined || h.messageId !== sa.outstandingId) {
      this.drop('unexpected-response', dg, `response message ID ${h.messageId}, outstanding ${sa.outstanding === undefined ? 'none' : sa.outstandingId}`);
      return;
    }
    if (h.exchange !== pending.exchange) {
      this.drop('unexpected-response', dg, `${exchangeName(h.exchange)} response to a ${exchangeName(pending.exchange)} request`);
      return;
    }
    if (h.exchange === ExchangeType.IKE_SA_INIT) return handleIkeSaInitResponse(this, sa, dg, decoded);
    const rules = rulesFor(h.exchange, true);
    if (rules === undefined) return;
    const inner = this.unprotect(sa, dg, decoded);
    if (inner === undefined) return;
    this.adoptEndpoints(sa, dg);
    sa.lastHeardAt = this.now();
    this.countNotifies(inner.payloads);
    this.clearOutstanding(sa);
    const violation = checkPayloads(rules, inner.types);
    if (violation !== undefined) {
      this.logDrop('not-allowed-in-exchange', dg, violationText(violation, h.exchange, true));
      this.stats.drop('not-allowed-in-exchange');
      pending.onFailure?.(violationText(violation, h.exchange, true));
      return;
    }
    return pending.onResponse(inner.payloads, dg);
  }

  /** Verifies and decrypts the SK payload (RFC 7296 §3.14); counts and returns undefined on failure. */
  private unprotect(sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): { payloads: readonly Payload[]; types: readonly number[] } | undefined {
    if (decoded.sk === undefined || decoded.types.length > 0 || decoded.sk.offset < 0) {
      // RFC 7296 §3.14: after IKE_SA_INIT everything travels inside SK.
      this.drop('not-allowed-in-exchange', dg, decoded.sk === undefined ? 'no SK payload' : 'payloads outside SK');
      return undefined;
    }
    if (sa.ctxIn === undefined) {
      this.drop('no-keys', dg);
      return undefined;
    }
    const plain = this.crypto.skUnprotect(sa.ctxIn, dg.data, decoded.sk.offset);
    if (plain === undefined) {
      // RFC 7296 §2.21 / §3.14: a message whose ICV fails is discarded silently.
      this.drop('icv', dg, `integrity check failed on IKE SA ${sa.id}`);
      return undefined;
    }
    const inner = this.wire.decodeInner(dg.data.subarray(plain.offset, plain.offset + plain.length), decoded.sk.firstType);
    if (!inner.ok) {
      this.drop('malformed', dg, `inside SK: ${inner.detail}`);
      return undefined;
    }
    return inner;
  }

  /**
   * After the NAT-T float (RFC 7296 §2.23) and when a NAT rebinds, the peer's
   * authenticated messages come from a new address or port: answer there.
   */
  private adoptEndpoints(sa: IkeSa, dg: Datagram): void {
    if (sa.remote.address === dg.remote.address && sa.remote.port === dg.remote.port && sa.local.port === dg.local.port) return;
    if (!(sa.natLocal || sa.natRemote || dg.local.port !== sa.local.port)) return;
    sa.remote = dg.remote;
    sa.local = dg.local;
  }

  private countNotifies(payloads: readonly Payload[]): void {
    for (const p of payloads) if (p.type === PayloadType.NOTIFY) this.stats.notifyReceived(p.notifyType);
  }

  // ----------------------------------------------------------------- output

  /** Builds a protected message of this SA (RFC 7296 §3.14): header, SK, encrypted chain, ICV. */
  protect(sa: IkeSa, exchange: number, response: boolean, messageId: number, payloads: readonly Payload[], retained = false): Buffer {
    const ctx = sa.ctxOut;
    if (ctx === undefined) throw new Error('no keys to protect with');
    const chain = this.wire.encodeChain(payloads);
    const sizes = this.crypto.skSealedSizes(ctx, chain.bytes.length);
    const total = headerLength + sizes.payload;
    // A cached response lives until the peer's next request: a long-lived slab (lib/arena.ts);
    // anything else from Node's buffer pool. Neither costs an ArrayBuffer per message.
    const buf = retained ? allocRetained(total) : Buffer.allocUnsafe(total).fill(0);
    writeHeader(buf, { spiI: sa.spiI, spiR: sa.spiR, nextPayload: PayloadType.SK, exchange, initiator: sa.initiator, response, messageId, length: total });
    writeSkHeader(buf, headerLength, chain.firstType, sizes.payload);
    chain.bytes.copy(buf, headerLength + 4 + sizes.iv);
    this.crypto.skProtect(ctx, buf, headerLength, chain.bytes.length);
    for (const p of payloads) if (p.type === PayloadType.NOTIFY) this.stats.notifySent(p.notifyType);
    return buf;
  }

  /** Sends and caches the response to the peer's request `messageId` (RFC 7296 §2.1). */
  sendResponse(sa: IkeSa, dg: Datagram, exchange: number, messageId: number, payloads: readonly Payload[]): void {
    const buf = this.protect(sa, exchange, true, messageId, payloads, true);
    sa.lastResponse = buf;
    this.stats.countSent(exchangeName(exchange), true);
    this.sendRaw(dg.local, dg.remote, buf);
  }

  /**
   * Sends a request of ours, or queues it while another is outstanding
   * (window size 1). Retransmitted with exponential back-off (RFC 7296 §2.1)
   * until answered or `policy.retransmit.tries` run out.
   */
  request(sa: IkeSa, exchange: number, payloads: readonly Payload[], pending: PendingRequest): void {
    if (sa.state === 'dead') return;
    if (sa.outstanding !== undefined || sa.busy) {
      ((sa.queue ??= []) as QueuedRequest[]).push({ exchange, payloads, pending });
      return;
    }
    const id = sa.nextRequestId++;
    const buf = this.protect(sa, exchange, false, id, payloads);
    this.startOutstanding(sa, id, buf, pending);
    this.stats.countSent(exchangeName(exchange), false);
    this.sendRaw(sa.local, sa.remote, buf);
  }

  /** Makes `buf` (message ID `id`) the request we retransmit until its response arrives. */
  startOutstanding(sa: IkeSa, id: number, buf: Buffer, pending: PendingRequest): void {
    sa.outstanding = buf;
    sa.outstandingId = id;
    sa.pending = pending;
    sa.retransmits = 0;
    sa.retransmitAt = this.now() + this.policy.retransmit.timeoutMs;
    this.arm(sa);
  }

  clearOutstanding(sa: IkeSa): void {
    sa.outstanding = undefined;
    sa.outstandingId = -1;
    sa.pending = undefined;
    sa.retransmitAt = 0;
  }

  /** Sends the next queued request once the window is free. */
  pumpQueue(sa: IkeSa): void {
    if (sa.state === 'dead' || sa.outstanding !== undefined || sa.busy) return;
    const queue = sa.queue as QueuedRequest[] | undefined;
    const next = queue?.shift();
    if (queue !== undefined && queue.length === 0) sa.queue = undefined;
    if (next !== undefined) this.request(sa, next.exchange, next.payloads, next.pending);
  }

  sendRaw(local: Endpoint, remote: Endpoint, data: Buffer): void {
    this.options.send({ data, local, remote });
  }

  // ------------------------------------------------------------- lifecycle

  /** Adds a new SA to the table. */
  register(sa: IkeSa): void {
    this.table.add(sa);
    this.arm(sa);
  }

  newSa(initiator: boolean, localSpi: Buffer, remoteSpi: Buffer, local: Endpoint, remote: Endpoint): IkeSa {
    return new IkeSa(this.table.allocateId(), initiator, localSpi, remoteSpi, local, remote, this.now());
  }

  /** Every state change of an IKE SA goes through here: counts, log line `from -> to`. */
  transition(sa: IkeSa, state: IkeSaState): void {
    if (sa.state === state) return;
    const from = sa.state;
    this.table.setState(sa, state);
    if (this.log.isLevelEnabled('debug')) this.log.debug({ sa: sa.id, from, to: state }, 'IKE SA state');
    this.reportHalfOpen();
  }

  /** Re-arms the SA's single wake-up at its earliest deadline. */
  arm(sa: IkeSa): void {
    if (sa.state === 'dead') return;
    this.schedule.arm(sa, sa.nextDeadline());
  }

  emit(event: SaEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err, event: event.kind }, 'SA event listener failed');
      }
    }
  }

  /** Sends a Delete for an established SA and removes it once answered (or at once if it cannot be sent). */
  closeSa(sa: IkeSa, reason: string): void {
    if (sa.state === 'established' || sa.state === 'rekeyed') {
      sendDeleteIke(this, sa, true, reason);
      return;
    }
    this.destroy(sa, reason);
  }

  /** Removes an SA for good: table, schedule, pool lease, child SPIs, secrets. */
  destroy(sa: IkeSa, reason: string): void {
    if (sa.state === 'dead') return;
    const wasSession = sa.isSession || sa.state === 'rekeyed' || sa.state === 'deleting';
    this.table.remove(sa);
    sa.state = 'dead';
    this.schedule.cancel(sa);
    if (sa.leasedAddress !== undefined) {
      sa.profile?.cp.pool?.release(sa.leasedAddress);
      sa.leasedAddress = undefined;
    }
    for (const child of sa.children) {
      this.childSpis.delete(child.spiIn);
      this.stats.childDeleted++;
      this.emit({ kind: 'child-deleted', sa, child, reason });
    }
    if (wasSession && sa.establishedAt !== 0) this.stats.saDeleted++;
    this.emit({ kind: 'deleted', sa, reason });
    this.log.info({ sa: sa.id, spiI: sa.spiI.toString('hex'), spiR: sa.spiR.toString('hex'), peer: `${sa.remote.address}:${sa.remote.port}`, reason }, 'IKE SA deleted');
    sa.wipe();
    sa.children = [];
    sa.lastResponse = undefined;
    sa.outstanding = undefined;
    sa.pending = undefined;
    sa.inbox = undefined;
    sa.queue = undefined;
    this.reportHalfOpen();
  }

  /**
   * 32 random bits for a value that is used at once and is no secret (ESP
   * SPIs, rekey jitter): from a reserve of 256 octets, one draw of
   * `random` per 64 values instead of a call and a Buffer each.
   */
  randomUint32(): number {
    let reserve = this.reserve;
    if (reserve === undefined || this.reserveAt > reserve.length - 4) {
      reserve = this.reserve = this.random(256);
      this.reserveAt = 0;
    }
    const value = reserve.readUInt32BE(this.reserveAt);
    this.reserveAt += 4;
    return value;
  }

  /** A child SA id and a fresh unique inbound SPI (never 0..255, RFC 4303 §2.1 reserves them). */
  allocateChildSpi(): { id: number; spi: number } {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const spi = this.randomUint32();
      if (spi < 256 || this.childSpis.has(spi)) continue;
      this.childSpis.add(spi);
      return { id: this.nextChildId++, spi };
    }
    throw new Error('cannot find a free ESP SPI: is the random generator broken?');
  }

  releaseChildSpi(spi: number): void {
    this.childSpis.delete(spi);
  }

  /** Removes one CHILD SA from its IKE SA. */
  removeChild(sa: IkeSa, child: ChildSa, reason: string): void {
    const i = sa.children.indexOf(child);
    if (i < 0) return;
    sa.children.splice(i, 1);
    this.childSpis.delete(child.spiIn);
    child.keymat.fill(0);
    this.stats.childDeleted++;
    this.emit({ kind: 'child-deleted', sa, child, reason });
    this.log.info({ sa: sa.id, child: child.id, spiIn: hex32(child.spiIn), spiOut: hex32(child.spiOut), reason }, 'CHILD SA deleted');
  }

  // ----------------------------------------------------------------- timers

  private wake(sa: IkeSa, now: number): void {
    if (sa.retransmitAt !== 0 && sa.retransmitAt <= now) this.retransmit(sa, now);
    if (sa.state === 'dead') return;
    if (sa.deadline !== 0 && sa.deadline <= now) {
      sa.deadline = 0;
      if (sa.isHalfOpen || sa.state === 'init-sent' || sa.state === 'auth-sent') {
        this.stats.halfOpenExpired++;
        if (sa.initiator) this.emit({ kind: 'failed', sa, reason: 'negotiation timed out', notify: undefined });
        this.destroy(sa, 'half-open timeout');
      } else {
        this.destroy(sa, sa.state === 'rekeyed' ? 'replaced by rekey' : 'delete timed out');
      }
      return;
    }
    if (sa.expireAt !== 0 && sa.expireAt <= now) {
      sa.expireAt = 0;
      this.closeSa(sa, 'lifetime expired');
      return;
    }
    if (sa.state !== 'established') return;
    if (sa.rekeyAt !== 0 && sa.rekeyAt <= now) {
      sa.rekeyAt = 0;
      void startIkeRekey(this, sa);
    }
    if (sa.dpdAt !== 0 && sa.dpdAt <= now) {
      sa.dpdAt = 0;
      const dpd = sa.profile?.dpd;
      if (dpd !== undefined) {
        if (now - sa.lastHeardAt >= dpd.intervalMs && sa.outstanding === undefined) sendDpd(this, sa);
        sa.dpdAt = Math.max(sa.lastHeardAt, now) + dpd.intervalMs;
      }
    }
    for (const child of [...sa.children]) {
      if (child.deleteAt !== 0 && child.deleteAt <= now) {
        child.deleteAt = 0;
        sendDeleteChildren(this, sa, [child]);
        continue;
      }
      if (child.expireAt !== 0 && child.expireAt <= now) {
        child.expireAt = 0;
        sendDeleteChildren(this, sa, [child]);
        continue;
      }
      if (child.rekeyAt !== 0 && child.rekeyAt <= now) {
        child.rekeyAt = 0;
        if (child.state === 'installed') void startChildRekey(this, sa, child);
      }
    }
  }

  private retransmit(sa: IkeSa, now: number): void {
    const r = this.policy.retransmit;
    if (sa.outstanding === undefined) {
      sa.retransmitAt = 0;
      return;
    }
    if (sa.retransmits >= r.tries) {
      const pending = sa.pending as PendingRequest | undefined;
      this.clearOutstanding(sa);
      this.stats.deadPeers++;
      // RFC 7296 §2.4: a peer that does not answer is dead; its SAs are deleted without a Delete.
      pending?.onFailure?.('peer not responding');
      if (sa.initiator && (sa.state === 'init-sent' || sa.state === 'auth-sent')) this.emit({ kind: 'failed', sa, reason: 'peer not responding', notify: undefined });
      this.destroy(sa, 'peer not responding');
      return;
    }
    sa.retransmits++;
    this.stats.retransmitsSent++;
    sa.retransmitAt = now + Math.round(r.timeoutMs * Math.pow(r.base, sa.retransmits));
    this.sendRaw(sa.local, sa.remote, sa.outstanding);
  }

  // --------------------------------------------------------------- helpers

  /** Counts a drop and logs it at most once per reason every 10 s. */
  drop(reason: DropReason, dg: Datagram, detail?: string): void {
    this.stats.drop(reason);
    this.logDrop(reason, dg, detail);
  }

  private logDrop(reason: string, dg: Datagram, detail?: string): void {
    const now = this.now();
    const last = this.lastDropLog.get(reason);
    if (last !== undefined && now - last < 10_000) return;
    this.lastDropLog.set(reason, now);
    this.log.warn({ reason, peer: `${dg.remote.address}:${dg.remote.port}`, detail }, 'IKE datagram dropped');
  }

  private reportHalfOpen(): void {
    const n = this.table.halfOpenCount;
    if (n === this.lastHalfOpen) return;
    this.lastHalfOpen = n;
    this.options.onHalfOpenChange?.(n);
  }
}

/** The promise receive() returns for a datagram handled synchronously. */
const handled: Promise<void> = Promise.resolve();

/** The SA's current message is done (busy since serve() took it). */
function idle(sa: IkeSa): void {
  sa.busy = false;
  sa.busyRequestId = -1;
}

export function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
