// Negotiating and creating a CHILD SA, shared by IKE_AUTH (the first one,
// RFC 7296 §1.2) and CREATE_CHILD_SA (§1.3): ESP proposal choice, traffic
// selector narrowing (§2.9), transport mode (§1.3.1), KEYMAT (§2.17) and
// the SA's lifetimes.
import { NotifyType, PayloadType, ProtocolId } from './constants';
import type { IkeCore } from './core';
import { ChildSa, type ChildAlgorithms, type IkeSa } from './ike-sa';
import { childKeymat } from './keys';
import { findNotify, notify, type Payload, type Proposal } from './payloads';
import type { ProfilePolicy } from './policy';
import { chooseEsp, internChild, type EspChoice } from './proposals';
import { hostSelector, narrow, type TrafficSelector } from './traffic-selectors';

export interface ChildOffer {
  readonly proposals: readonly Proposal[];
  readonly tsi: readonly TrafficSelector[];
  readonly tsr: readonly TrafficSelector[];
  /** The peer asked for transport mode (N(USE_TRANSPORT_MODE)). */
  readonly transport: boolean;
  /** KE payload group, 0 without KE. */
  readonly keGroup: number;
}

export type ChildNegotiation =
  | { readonly ok: true; readonly choice: EspChoice; readonly tsi: TrafficSelector[]; readonly tsr: TrafficSelector[]; readonly mode: 'tunnel' | 'transport' }
  | { readonly ok: false; readonly notify: Payload; readonly reason: string };

export function childOffer(payloads: readonly Payload[]): ChildOffer | undefined {
  // The decoded payloads' own arrays (read-only here): no copies.
  let sa: readonly Proposal[] | undefined;
  let tsi: readonly TrafficSelector[] | undefined;
  let tsr: readonly TrafficSelector[] | undefined;
  let keGroup = 0;
  for (const p of payloads) {
    if (p.type === PayloadType.SA) sa = p.proposals;
    else if (p.type === PayloadType.TSi) tsi = p.selectors;
    else if (p.type === PayloadType.TSr) tsr = p.selectors;
    else if (p.type === PayloadType.KE) keGroup = p.group;
  }
  if (sa === undefined || tsi === undefined || tsr === undefined) return undefined;
  return { proposals: sa, tsi, tsr, transport: findNotify(payloads, NotifyType.USE_TRANSPORT_MODE) !== undefined, keGroup };
}

/** PFS groups the profile accepts in CREATE_CHILD_SA (none: []). */
export function pfsGroups(sa: IkeSa, profile: ProfilePolicy): number[] {
  const pfs = profile.child.pfs;
  if (pfs === undefined) return [];
  if (pfs === 'ike') return sa.algorithms === undefined ? [] : [sa.algorithms.group];
  return [pfs];
}

/**
 * Responder side: choose the ESP proposal and narrow the selectors. `ignoreDh`
 * in IKE_AUTH (no KE there). `leased` narrows TSi to the client's virtual address.
 */
export function negotiateChild(
  core: IkeCore,
  sa: IkeSa,
  profile: ProfilePolicy,
  offer: ChildOffer,
  ignoreDh: boolean,
  leased: string | undefined,
): ChildNegotiation {
  const groups = ignoreDh ? [] : pfsGroups(sa, profile).filter((g) => core.crypto.dhSupported(g));
  const choice = chooseEsp(profile.child.proposals, offer.proposals, groups, ignoreDh ? 0 : offer.keGroup, ignoreDh);
  if (choice === undefined) return { ok: false, notify: notify(NotifyType.NO_PROPOSAL_CHOSEN), reason: 'no acceptable ESP proposal' };
  if (choice.wantGroup !== undefined) {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(choice.wantGroup);
    return { ok: false, notify: notify(NotifyType.INVALID_KE_PAYLOAD, data), reason: `want PFS group ${choice.wantGroup}` };
  }
  const remoteAllowed = leased !== undefined ? [hostSelector(leased)] : profile.child.remoteTs;
  const tsi = narrow(offer.tsi, remoteAllowed);
  const tsr = narrow(offer.tsr, profile.child.localTs);
  if (tsi.length === 0 || tsr.length === 0) return { ok: false, notify: notify(NotifyType.TS_UNACCEPTABLE), reason: 'traffic selectors unacceptable' };
  const mode = offer.transport && choice.policy.mode === 'transport' ? 'transport' : 'tunnel';
  return { ok: true, choice, tsi, tsr, mode };
}

/** The SA payload of our answer: the chosen proposal with OUR inbound SPI. */
export function answerProposal(choice: EspChoice, spiIn: number): Proposal {
  const spi = Buffer.allocUnsafe(4); // written whole below; lives only until the response is encoded
  spi.writeUInt32BE(spiIn);
  return { ...choice.proposal, protocol: ProtocolId.ESP, spi };
}

export function spiBytes(spi: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(spi >>> 0);
  return b;
}

export interface NewChild {
  readonly id: number;
  readonly spiIn: number;
  readonly spiOut: number;
  readonly algorithms: ChildAlgorithms;
  readonly mode: 'tunnel' | 'transport';
  readonly localTs: readonly TrafficSelector[];
  readonly remoteTs: readonly TrafficSelector[];
  /** Nonces of the exchange that created it, as initiator/responder of THAT exchange. */
  readonly ni: Buffer;
  readonly nr: Buffer;
  readonly shared: Buffer | undefined;
  readonly initiatedByUs: boolean;
}

/** Derives KEYMAT, adds the CHILD SA to its IKE SA with its lifetimes, and announces it. */
export function installChild(core: IkeCore, sa: IkeSa, profile: ProfilePolicy, c: NewChild, rekeyOf: ChildSa | undefined): ChildSa {
  const keymat = childKeymat(core, sa, c.algorithms, c.shared, c.ni, c.nr);
  const now = core.now();
  const child = new ChildSa(c.id, c.spiIn, c.spiOut, internChild(c.algorithms), c.mode, c.localTs, c.remoteTs, keymat, now, c.initiatedByUs);
  const life = profile.child.lifetimeMs;
  // Rekey between 80 and 90 % of the lifetime (jitter keeps both ends from colliding, §2.8.1).
  child.rekeyAt = now + Math.round(life * (0.8 + 0.1 * jitter(core)));
  child.expireAt = now + life;
  // The first child gets a one-element array: push() on [] reserves 17 slots (152 octets per SA).
  if (sa.children.length === 0) sa.children = [child];
  else sa.children.push(child);
  core.stats.childEstablished++;
  core.emit({ kind: 'child-installed', sa, child, rekeyOf });
  if (core.log.isLevelEnabled('info')) core.log.info(
    { sa: sa.id, child: child.id, spiIn: child.spiIn.toString(16).padStart(8, '0'), spiOut: child.spiOut.toString(16).padStart(8, '0'), mode: child.mode, rekey: rekeyOf !== undefined },
    'CHILD SA installed',
  );
  core.arm(sa);
  return child;
}

/** A random fraction in [0, 1) that spreads rekeys (RFC 7296 §2.8.1). */
export function jitter(core: IkeCore): number {
  return core.randomUint32() / 4294967296;
}
