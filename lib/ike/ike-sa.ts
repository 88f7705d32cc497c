// The state of one IKE SA and its CHILD SAs. Plain data, no closures and no
// timers of its own (the core's single Schedule wakes it), so 100,000 of them
// fit in a few hundred MB at most. Everything only needed while the SA is
// being set up (nonces, DH private key, the IKE_SA_INIT messages for AUTH,
// SK_p) lives in `handshake` and is dropped — and wiped — once established.
import type { DhPair, IkeSaKeyMaterial, SkCtx } from './crypto-port';
import type { Identity, ProfilePolicy } from './policy';
import type { Schedulable } from './schedule';
import { packSelectors, unpackSelectors, type TrafficSelector } from './traffic-selectors';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/**
 * IKE SA states. Show output maps them to IOS words: READY (established),
 * IN-NEG (init-*, auth-*), DELETE (deleting, rekeyed, dead).
 */
export type IkeSaState =
  | 'init-sent' // initiator: IKE_SA_INIT request out
  | 'init-done' // responder: IKE_SA_INIT answered, waiting for IKE_AUTH (half-open)
  | 'auth-sent' // initiator: IKE_AUTH request out
  | 'established'
  | 'deleting' // we sent a Delete for it
  | 'rekeyed' // replaced by a rekey, waiting for its Delete
  | 'dead';

/** The negotiated IKE SA algorithms (transform IDs, RFC 7296 §3.3.2). */
export interface IkeAlgorithms {
  readonly encr: number;
  readonly keyLength: number;
  readonly integ: number;
  readonly prf: number;
  readonly group: number;
}

/** The negotiated CHILD SA algorithms. */
export interface ChildAlgorithms {
  readonly encr: number;
  readonly keyLength: number;
  /** 0 = none (AEAD). */
  readonly integ: number;
  readonly esn: boolean;
  /** PFS group used when the SA was created, 0 = none. */
  readonly group: number;
}

export type ChildSaState = 'installed' | 'rekeying' | 'rekeyed' | 'deleting';

export class ChildSa {
  state: ChildSaState = 'installed';
  /** Rekey and hard expiry deadlines (ms), 0 = none. */
  rekeyAt = 0;
  expireAt = 0;
  /** When a rekeyed SA is deleted if the peer does not do it first. */
  deleteAt = 0;
  /**
   * Set while we rekey this SA and the peer rekeys it too (RFC 7296 §2.8.1):
   * the SA the peer's exchange created and that exchange's nonces.
   */
  peerRekey: { readonly child: ChildSa; readonly ni: Buffer; readonly nr: Buffer } | undefined;
  /** Both selector lists in one pooled Buffer (traffic-selectors.ts packSelectors). */
  private readonly selectors: Buffer;

  constructor(
    /** Unique id (IOS "conn id"). */
    readonly id: number,
    /** ESP SPI we receive with (4 octets). */
    readonly spiIn: number,
    /** ESP SPI the peer receives with. */
    readonly spiOut: number,
    readonly algorithms: ChildAlgorithms,
    readonly mode: 'tunnel' | 'transport',
    localTs: readonly TrafficSelector[],
    remoteTs: readonly TrafficSelector[],
    /** KEYMAT for both directions, as §2.17 lays it out; handed to the data plane. */
    readonly keymat: Buffer,
    readonly createdAt: number,
    /** Did we initiate the exchange that created it? */
    readonly initiatedByUs: boolean,
  ) {
    this.selectors = packSelectors(localTs, remoteTs);
  }

  /** Our side's selectors (unpacked on demand: show output and rekeys). */
  get localTs(): TrafficSelector[] {
    return unpackSelectors(this.selectors).local;
  }

  get remoteTs(): TrafficSelector[] {
    return unpackSelectors(this.selectors).remote;
  }
}

/** Secrets and messages only needed until IKE_AUTH completes. */
export interface Handshake {
  ni: Buffer;
  nr: Buffer;
  dh: DhPair | undefined;
  /** IKE_SA_INIT request and response as sent (RFC 7296 §2.15 RealMessage1/2). */
  initRequest: Buffer;
  initResponse: Buffer;
  /** Initiator: the cookie to echo (RFC 7296 §2.6). */
  cookie: Buffer | undefined;
  /** Peer sent REDIRECT_SUPPORTED or REDIRECTED_FROM (RFC 5685 §3). */
  peerRedirectSupported: boolean;
  /** Peer's SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4). */
  peerHashes: readonly number[];
  /** Peer asked for certificates (CERTREQ in IKE_SA_INIT). */
  peerCertReq: boolean;
  /** Initiator: what the IKE_AUTH request asked for, to check the response against. */
  childSpiIn: number;
  childProposals: readonly import('./payloads').Proposal[];
  childTsI: readonly TrafficSelector[];
  childTsR: readonly TrafficSelector[];
  /** Initiator: the identity we sent (for the AUTH of our own message). */
  idBody: Buffer | undefined;
  /** Initiator: the IKE proposals we sent, to check the responder's choice. */
  offered: readonly import('./payloads').Proposal[];
  /** Initiator: IKE_SA_INIT attempts so far (COOKIE and INVALID_KE_PAYLOAD retries). */
  attempts: number;
  /** Initiator: the ports to move to when a NAT is detected (RFC 7296 §2.23). */
  natTPorts: { readonly local: number; readonly remote: number } | undefined;
  /** Initiator: send REDIRECTED_FROM with this gateway instead of REDIRECT_SUPPORTED (RFC 5685 §5). */
  redirectedFrom: import('./redirect-provider').RedirectTarget | undefined;
  /** Initiator: we asked for a virtual address (CP). */
  cpRequested: boolean;
}

export class IkeSa implements Schedulable {
  // Schedule bookkeeping (schedule.ts).
  wakeAt = 0;
  heapIndex = -1;

  state: IkeSaState;
  /** The peer's SPI as two signed 32-bit halves (see remoteSpi). */
  private remoteSpiHi = 0;
  private remoteSpiLo = 0;
  algorithms: IkeAlgorithms | undefined;
  /** SK_d, SK contexts of both directions, SK_p (RFC 7296 §2.14), in compact native-owned Buffers. */
  keys: IkeSaKeyMaterial | undefined;
  handshake: Handshake | undefined;
  profile: ProfilePolicy | undefined;
  localId: Identity | undefined;
  remoteId: Identity | undefined;
  /** AUTH methods used (RFC 7296 §3.8 numbers), for show output. */
  authLocal = 0;
  authRemote = 0;
  /** NAT detected in front of us / in front of the peer (RFC 7296 §2.23). */
  natLocal = false;
  natRemote = false;
  /** Virtual IP leased from the profile's pool (CP), to give back on delete. */
  leasedAddress: string | undefined;
  /** Initiator: the virtual IP the gateway assigned us (CP reply). */
  virtualAddress: string | undefined;
  children: ChildSa[] = [];

  // Message IDs (RFC 7296 §2.3): we keep a window of one in each direction.
  /** Message ID of our next request. */
  nextRequestId = 0;
  /** Message ID we expect in the peer's next request. */
  peerNextRequestId = 0;
  /** The response we sent to the peer's last request, for its retransmissions (RFC 7296 §2.1). */
  lastResponse: Buffer | undefined;
  /** The last 8 octets (end of the ICV) of that last request: only an identical message is a retransmission. */
  lastRequestTailHi = 0;
  lastRequestTailLo = 0;
  /** Our request waiting for its response, as sent. */
  outstanding: Buffer | undefined;
  outstandingId = -1;
  retransmits = 0;

  // Deadlines (ms of the core's clock), 0 = none; the SA wakes at the earliest.
  retransmitAt = 0;
  /** Half-open SAs and SAs being deleted die at this time. */
  deadline = 0;
  rekeyAt = 0;
  expireAt = 0;
  dpdAt = 0;
  keepaliveAt = 0;

  createdAt: number;
  establishedAt = 0;
  /** Last time anything authenticated came from the peer (DPD). */
  lastHeardAt: number;
  /** Set while an async step (DH, signature) runs: other messages wait in `inbox`. */
  busy = false;
  busyRequestId = -1;
  inbox: unknown[] | undefined;
  /** Requests of ours waiting for the window (DPD, rekey, delete...). */
  queue: unknown[] | undefined;
  /** The exchange our outstanding request belongs to. */
  pending: unknown;
  /** Set by an IKE SA rekey: the SA that replaced this one. */
  replacedBy: IkeSa | undefined;
  /** We have an IKE SA rekey in flight (RFC 7296 §2.8). */
  rekeyingIke = false;
  /** The peer rekeyed this IKE SA while we did too (§2.8.2): its new SA and that exchange's nonces. */
  peerIkeRekey: { readonly sa: IkeSa; readonly ni: Buffer; readonly nr: Buffer } | undefined;
  /** Responder: key in the table's initiator index while half-open. */
  initiatorKey: string | undefined;

  /** Our SPI as two signed 32-bit halves (small integers, no boxed numbers per SA): the table's key. */
  readonly localSpiHi: number;
  readonly localSpiLo: number;

  constructor(
    /** IOS Tunnel-id: small unique number for show/clear. */
    readonly id: number,
    /** Did we send the IKE_SA_INIT request (the "original initiator" of RFC 7296 §2.2)? */
    readonly initiator: boolean,
    /** Our SPI (8 octets). */
    localSpi: Buffer,
    remoteSpi: Buffer,
    public local: Endpoint,
    public remote: Endpoint,
    now: number,
  ) {
    this.state = initiator ? 'init-sent' : 'init-done';
    this.localSpiHi = localSpi.readInt32BE(0);
    this.localSpiLo = localSpi.readInt32BE(4);
    this.remoteSpi = remoteSpi;
    this.createdAt = now;
    this.lastHeardAt = now;
  }

  /** Our SPI (8 octets), made from the two halves the SA keeps (no Buffer per SA). */
  get localSpi(): Buffer {
    return spiBuffer(this.localSpiHi, this.localSpiLo);
  }

  /** The peer's SPI (8 octets); all zeros until an initiator learns it. */
  get remoteSpi(): Buffer {
    return spiBuffer(this.remoteSpiHi, this.remoteSpiLo);
  }

  set remoteSpi(spi: Buffer) {
    this.remoteSpiHi = spi.readInt32BE(0);
    this.remoteSpiLo = spi.readInt32BE(4);
  }

  /** Is `spi` (8 octets at `offset`) the peer's SPI? No Buffer made. */
  remoteSpiIs(spi: Buffer, offset = 0): boolean {
    return spi.readInt32BE(offset) === this.remoteSpiHi && spi.readInt32BE(offset + 4) === this.remoteSpiLo;
  }

  /** Removed from the table (a method, so TypeScript does not narrow it away across awaits). */
  isDead(): boolean {
    return this.state === 'dead';
  }

  /** The SK context of what we send. */
  get ctxOut(): SkCtx | undefined {
    return this.keys === undefined ? undefined : this.initiator ? this.keys.ctxIR : this.keys.ctxRI;
  }

  /** The SK context of what the peer sends. */
  get ctxIn(): SkCtx | undefined {
    return this.keys === undefined ? undefined : this.initiator ? this.keys.ctxRI : this.keys.ctxIR;
  }

  get spiI(): Buffer {
    return this.initiator ? this.localSpi : this.remoteSpi;
  }

  get spiR(): Buffer {
    return this.initiator ? this.remoteSpi : this.localSpi;
  }

  /** Established or about to be replaced: counts as a session (crypto load). */
  get isSession(): boolean {
    return this.state === 'established';
  }

  /** A responder SA between IKE_SA_INIT and IKE_AUTH: what cookies and limits count (RFC 7296 §2.6). */
  get isHalfOpen(): boolean {
    return !this.initiator && this.state === 'init-done';
  }

  /** Still negotiating (IOS status IN-NEG). */
  get negotiating(): boolean {
    return this.state === 'init-done' || this.state === 'init-sent' || this.state === 'auth-sent';
  }

  /** The earliest deadline of the SA and its children, 0 if none. */
  nextDeadline(): number {
    let next = 0;
    const consider = (t: number): void => {
      if (t !== 0 && (next === 0 || t < next)) next = t;
    };
    consider(this.retransmitAt);
    consider(this.deadline);
    consider(this.rekeyAt);
    consider(this.expireAt);
    consider(this.dpdAt);
    consider(this.keepaliveAt);
    for (const child of this.children) {
      consider(child.rekeyAt);
      consider(child.expireAt);
      consider(child.deleteAt);
    }
    return next;
  }

  findChildByInboundSpi(spi: number): ChildSa | undefined {
    return this.children.find((c) => c.spiIn === spi);
  }

  findChildByOutboundSpi(spi: number): ChildSa | undefined {
    return this.children.find((c) => c.spiOut === spi);
  }

  /** Wipes every secret this SA holds (on delete). */
  wipe(): void {
    this.keys?.wipe();
    wipeHandshake(this.handshake);
    this.handshake = undefined;
    for (const child of this.children) child.keymat.fill(0);
  }
}

function spiBuffer(hi: number, lo: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeInt32BE(hi, 0);
  b.writeInt32BE(lo, 4);
  return b;
}

export function wipeHandshake(hs: Handshake | undefined): void {
  if (hs === undefined) return;
  hs.dh?.privateBlob.fill(0);
}
