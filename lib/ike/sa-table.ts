// Every IKE SA of the gateway, found by our own SPI in constant time (an
// open-addressing index over the two 32-bit halves of the SPI, spi-index.ts;
// no hashing of byte strings, no string keys). We choose our SPIs at random
// and never reuse one that is live. The number of sessions (established IKE
// SAs) is the gateway's crypto load.
import type { IkeSa } from './ike-sa';
import { SpiIndex } from './spi-index';

export class SaTable {
  private readonly bySpi = new SpiIndex<IkeSa>();
  private readonly byId = new Map<number, IkeSa>();
  /** Half-open responder SAs by (initiator SPI, peer address), for IKE_SA_INIT retransmissions (RFC 7296 §2.1, §2.6). */
  private readonly byInitiator = new Map<string, IkeSa>();
  private nextId = 1;
  private sessions = 0;
  private halfOpen = 0;

  /** Live IKE SAs of any state. */
  get size(): number {
    return this.bySpi.size;
  }

  /** Established IKE SAs: the crypto load reported to the cluster. */
  get sessionCount(): number {
    return this.sessions;
  }

  /** SAs between IKE_SA_INIT and the end of IKE_AUTH (both roles). */
  get halfOpenCount(): number {
    return this.halfOpen;
  }

  /** A fresh tunnel id for a new SA. */
  allocateId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
      if (!this.byId.has(id)) return id;
    }
  }

  /**
   * A new local SPI whose key is unused, from `random` (8 octets each call).
   * Never all zeros (RFC 7296 §3.1: a zero SPI means "not yet known").
   */
  allocateSpi(random: (n: number) => Buffer): Buffer {
    // With a working generator a collision is rare (live SAs / 2^30); a stuck one must not hang us.
    for (let attempt = 0; attempt < 1000; attempt++) {
      const spi = random(8);
      if (spi.every((b) => b === 0)) continue;
      if (this.bySpi.get(spi.readInt32BE(0), spi.readInt32BE(4)) === undefined) return spi;
    }
    throw new Error('cannot find a free IKE SPI: is the random generator broken?');
  }

  add(sa: IkeSa): void {
    if (this.bySpi.get(sa.localSpiHi, sa.localSpiLo) !== undefined) throw new Error('SPI already in use');
    this.bySpi.set(sa.localSpiHi, sa.localSpiLo, sa);
    this.byId.set(sa.id, sa);
    if (sa.isHalfOpen) this.halfOpen++;
    if (sa.isSession) this.sessions++;
  }

  /** The SA whose local SPI is the 8 octets at `offset` of `buf`. */
  get(buf: Buffer, offset = 0): IkeSa | undefined {
    return this.bySpi.get(buf.readInt32BE(offset), buf.readInt32BE(offset + 4));
  }

  getById(id: number): IkeSa | undefined {
    return this.byId.get(id);
  }

  remove(sa: IkeSa): void {
    if (this.bySpi.get(sa.localSpiHi, sa.localSpiLo) !== sa) return;
    this.bySpi.delete(sa.localSpiHi, sa.localSpiLo);
    this.byId.delete(sa.id);
    if (sa.isHalfOpen) this.halfOpen--;
    if (sa.isSession) this.sessions--;
    this.forgetInitiator(sa);
  }

  /**
   * Changes an SA's state, keeping the half-open and session counts right.
   * Every state change goes through here (or IkeCore.transition, which calls it).
   */
  setState(sa: IkeSa, state: IkeSa['state']): void {
    const present = this.bySpi.get(sa.localSpiHi, sa.localSpiLo) === sa;
    if (present) {
      if (sa.isHalfOpen) this.halfOpen--;
      if (sa.isSession) this.sessions--;
    }
    sa.state = state;
    if (present) {
      if (sa.isHalfOpen) this.halfOpen++;
      if (sa.isSession) this.sessions++;
    }
  }

  /** Remembers a responder SA under its initiatorKey() until IKE_AUTH is done. */
  rememberInitiator(sa: IkeSa, key: string): void {
    sa.initiatorKey = key;
    this.byInitiator.set(key, sa);
  }

  /** The half-open SA of an initiatorKey(): the key is made once per IKE_SA_INIT for both calls. */
  findByInitiator(key: string): IkeSa | undefined {
    return this.byInitiator.get(key);
  }

  forgetInitiator(sa: IkeSa): void {
    const key = sa.initiatorKey;
    if (key === undefined) return;
    sa.initiatorKey = undefined;
    if (this.byInitiator.get(key) === sa) this.byInitiator.delete(key);
  }

  /** Half-open responder SAs remembered by initiator SPI (for tests). */
  get initiatorEntries(): number {
    return this.byInitiator.size;
  }

  /** Every SA, in tunnel-id order of creation (Map insertion order). */
  values(): IterableIterator<IkeSa> {
    return this.byId.values();
  }
}

/** The key of a half-open SA in the initiator index: the initiator's SPI and address. */
export function initiatorKey(spiI: Buffer, address: string): string {
  return `${spiI.toString('hex')}|${address}`;
}
