// SA payload proposals: building ours and choosing among the peer's
// (RFC 7296 §2.7, §3.3). The responder walks its configured proposals in
// order and takes the first peer proposal that offers, for every transform
// type, something it allows; within a type it prefers its own order. A
// proposal with a transform type we do not know, or that lacks a type the
// protocol needs, is skipped (§3.3.6). For IKE the DH group is negotiated
// too: the KE group is kept when it is acceptable, otherwise the caller
// answers INVALID_KE_PAYLOAD with the group chosen here (§1.2, §1.3).
import { EncrId, EsnId, ProtocolId, TransformType } from './constants';
import type { ChildAlgorithms, IkeAlgorithms } from './ike-sa';
import type { Proposal, Transform } from './payloads';
import type { Cipher, EspProposalPolicy, IkeProposalPolicy } from './policy';

/** AEAD ciphers (RFC 5282): no separate integrity transform. */
export function isAead(encr: number): boolean {
  return encr === EncrId.ENCR_AES_GCM_8 || encr === EncrId.ENCR_AES_GCM_12 || encr === EncrId.ENCR_AES_GCM_16;
}

function cipherTransform(c: Cipher): Transform {
  return { type: TransformType.ENCR, id: c.id, keyLength: c.keyLength };
}

/** Our IKE proposals for an SA payload (IKE_SA_INIT: empty SPI; IKE rekey: our new SPI). */
export function ikeProposals(policies: readonly IkeProposalPolicy[], spi: Buffer = Buffer.alloc(0), preferredGroup?: number): Proposal[] {
  return policies.map((p, i) => {
    const groups = preferredGroup !== undefined && p.groups.includes(preferredGroup) ? [preferredGroup, ...p.groups.filter((g) => g !== preferredGroup)] : p.groups;
    const transforms: Transform[] = [
      ...p.encryption.map(cipherTransform),
      ...p.prf.map((id) => ({ type: TransformType.PRF, id })),
      ...p.integrity.map((id) => ({ type: TransformType.INTEG, id })),
      ...groups.map((id) => ({ type: TransformType.DH, id })),
    ];
    return { number: i + 1, protocol: ProtocolId.IKE, spi, transforms };
  });
}

/** Our ESP proposals (one per transform set), with our inbound SPI and an optional PFS group. */
export function espProposals(policies: readonly EspProposalPolicy[], spi: Buffer, pfsGroup?: number): Proposal[] {
  return policies.map((p, i) => {
    const transforms: Transform[] = [cipherTransform(p.encryption)];
    if (p.integrity !== undefined) transforms.push({ type: TransformType.INTEG, id: p.integrity });
    if (pfsGroup !== undefined && pfsGroup !== 0) transforms.push({ type: TransformType.DH, id: pfsGroup });
    transforms.push({ type: TransformType.ESN, id: EsnId.NO_ESN });
    return { number: i + 1, protocol: ProtocolId.ESP, spi, transforms };
  });
}

// The choice below runs once per IKE_SA_INIT and IKE_AUTH: plain loops over
// the peer's transforms, no intermediate arrays or closures.

/** The proposal has a transform of `type` with `id`. */
function offersTransform(p: Proposal, type: number, id: number): boolean {
  for (const t of p.transforms) if (t.type === type && t.id === id) return true;
  return false;
}

/** The proposal has a transform of `type` whose ID is not 0 (NONE). */
function offersAnyOf(p: Proposal, type: number): boolean {
  for (const t of p.transforms) if (t.type === type && t.id !== 0) return true;
  return false;
}

function offersCipher(p: Proposal, c: Cipher): boolean {
  for (const t of p.transforms) if (t.type === TransformType.ENCR && t.id === c.id && (t.keyLength ?? 0) === c.keyLength) return true;
  return false;
}

function onlyTypes(p: Proposal, known: ReadonlySet<number>): boolean {
  for (const t of p.transforms) if (!known.has(t.type)) return false;
  return true;
}

const knownIkeTypes: ReadonlySet<number> = new Set<number>([TransformType.ENCR, TransformType.PRF, TransformType.INTEG, TransformType.DH]);
const knownEspTypes: ReadonlySet<number> = new Set<number>([TransformType.ENCR, TransformType.INTEG, TransformType.DH, TransformType.ESN]);

export interface IkeChoice {
  /** The proposal to answer with (one transform of each type, the peer's proposal number). */
  readonly proposal: Proposal;
  readonly algorithms: IkeAlgorithms;
  /** The KE group we want when it differs from the KE payload's (INVALID_KE_PAYLOAD). */
  readonly wantGroup: number | undefined;
}

/**
 * Chooses an IKE proposal. `keGroup` is the group of the peer's KE payload.
 * Returns undefined when nothing matches (NO_PROPOSAL_CHOSEN).
 */
export function chooseIke(
  ours: readonly IkeProposalPolicy[],
  theirs: readonly Proposal[],
  keGroup: number,
  dhSupported: (group: number) => boolean,
): IkeChoice | undefined {
  for (const mine of ours) {
    for (const peer of theirs) {
      if (peer.protocol !== ProtocolId.IKE || !onlyTypes(peer, knownIkeTypes)) continue;
      let encr: Cipher | undefined;
      for (const c of mine.encryption) {
        if (offersCipher(peer, c)) {
          encr = c;
          break;
        }
      }
      if (encr === undefined) continue;
      const aead = isAead(encr.id);
      let integ = 0;
      if (aead) {
        if (offersAnyOf(peer, TransformType.INTEG)) continue; // RFC 5282 §8: no integrity with an AEAD cipher
      } else {
        const found = mine.integrity.find((id) => id !== 0 && offersTransform(peer, TransformType.INTEG, id));
        if (found === undefined) continue;
        integ = found;
      }
      const prf = mine.prf.find((id) => offersTransform(peer, TransformType.PRF, id));
      if (prf === undefined) continue;
      // Our first group the peer offers (and we can do); the KE payload's group when that is one of them.
      const acceptable = (g: number): boolean => offersTransform(peer, TransformType.DH, g) && dhSupported(g);
      const first = mine.groups.find(acceptable);
      if (first === undefined) continue;
      const group = mine.groups.includes(keGroup) && acceptable(keGroup) ? keGroup : first;
      const transforms: Transform[] = [cipherTransform(encr), { type: TransformType.PRF, id: prf }];
      if (!aead) transforms.push({ type: TransformType.INTEG, id: integ });
      transforms.push({ type: TransformType.DH, id: group });
      return {
        proposal: { number: peer.number, protocol: ProtocolId.IKE, spi: peer.spi, transforms },
        algorithms: internIke({ encr: encr.id, keyLength: encr.keyLength, integ, prf, group }),
        wantGroup: group === keGroup ? undefined : group,
      };
    }
  }
  return undefined;
}

export interface EspChoice {
  readonly proposal: Proposal;
  readonly algorithms: ChildAlgorithms;
  readonly policy: EspProposalPolicy;
  /** The peer's SPI (4 octets as a number). */
  readonly peerSpi: number;
  /** The KE group wanted when it differs from the KE payload's (INVALID_KE_PAYLOAD in CREATE_CHILD_SA). */
  readonly wantGroup: number | undefined;
}

/**
 * Chooses an ESP proposal. `pfsGroups` are our acceptable PFS groups (empty
 * when we want no PFS), `keGroup` the KE payload's group or 0 without one.
 * In IKE_AUTH there is no KE: DH transforms are ignored (`ignoreDh`, RFC
 * 7296 §1.2: the CHILD SA's keys come from the IKE SA's exchange).
 */
export function chooseEsp(
  ours: readonly EspProposalPolicy[],
  theirs: readonly Proposal[],
  pfsGroups: readonly number[],
  keGroup: number,
  ignoreDh = false,
): EspChoice | undefined {
  for (const mine of ours) {
    for (const peer of theirs) {
      if (peer.protocol !== ProtocolId.ESP || peer.spi.length !== 4 || !onlyTypes(peer, knownEspTypes)) continue;
      if (!offersCipher(peer, mine.encryption)) continue;
      if (mine.integrity === undefined) {
        if (offersAnyOf(peer, TransformType.INTEG)) continue;
      } else if (mine.integrity === 0 || !offersTransform(peer, TransformType.INTEG, mine.integrity)) continue;
      // We ask for no ESN; a proposal without ESN transforms means no ESN too (§3.3.2).
      if (peer.transforms.some((t) => t.type === TransformType.ESN) && !offersTransform(peer, TransformType.ESN, EsnId.NO_ESN)) continue;
      let group = 0;
      let wantGroup: number | undefined;
      if (ignoreDh) {
        // no KE in this exchange
      } else if (pfsGroups.length > 0) {
        const first = pfsGroups.find((g) => g !== 0 && offersTransform(peer, TransformType.DH, g));
        if (first === undefined) continue; // we require PFS the peer does not offer
        group = keGroup !== 0 && pfsGroups.includes(keGroup) && offersTransform(peer, TransformType.DH, keGroup) ? keGroup : first;
        if (group !== keGroup) wantGroup = group;
      } else if (offersAnyOf(peer, TransformType.DH) && !offersTransform(peer, TransformType.DH, 0)) {
        // The peer insists on PFS we did not configure: accept its KE group if it sent one we can do.
        if (keGroup === 0 || !offersTransform(peer, TransformType.DH, keGroup)) continue;
        group = keGroup;
      }
      const transforms: Transform[] = [cipherTransform(mine.encryption)];
      if (mine.integrity !== undefined) transforms.push({ type: TransformType.INTEG, id: mine.integrity });
      if (group !== 0) transforms.push({ type: TransformType.DH, id: group });
      transforms.push({ type: TransformType.ESN, id: EsnId.NO_ESN });
      return {
        proposal: { number: peer.number, protocol: ProtocolId.ESP, spi: peer.spi, transforms },
        algorithms: { encr: mine.encryption.id, keyLength: mine.encryption.keyLength, integ: mine.integrity ?? 0, esn: false, group },
        policy: mine,
        peerSpi: peer.spi.readUInt32BE(0),
        wantGroup,
      };
    }
  }
  return undefined;
}

/**
 * Checks a responder's single proposal against what we offered (initiator
 * side): exactly one transform per type, each one we proposed.
 */
export function acceptedFromOffer(offered: readonly Proposal[], answer: readonly Proposal[]): Proposal | undefined {
  if (answer.length !== 1) return undefined;
  const chosen = answer[0] as Proposal;
  const mine = offered.find((p) => p.number === chosen.number && p.protocol === chosen.protocol);
  if (mine === undefined) return undefined;
  const seen = new Set<number>();
  for (const t of chosen.transforms) {
    if (seen.has(t.type)) return undefined;
    seen.add(t.type);
    if (!mine.transforms.some((m) => m.type === t.type && m.id === t.id && (m.keyLength ?? 0) === (t.keyLength ?? 0))) return undefined;
  }
  // Every type we offered must be answered, except DH NONE / ESN defaults.
  for (const type of new Set(mine.transforms.map((t) => t.type))) {
    if (!seen.has(type)) return undefined;
  }
  return chosen;
}

export function ikeAlgorithmsOf(p: Proposal): IkeAlgorithms | undefined {
  const encr = p.transforms.find((t) => t.type === TransformType.ENCR);
  const prf = p.transforms.find((t) => t.type === TransformType.PRF);
  const dh = p.transforms.find((t) => t.type === TransformType.DH);
  const integ = p.transforms.find((t) => t.type === TransformType.INTEG);
  if (encr === undefined || prf === undefined || dh === undefined) return undefined;
  if (!isAead(encr.id) && integ === undefined) return undefined;
  return { encr: encr.id, keyLength: encr.keyLength ?? 0, integ: integ?.id ?? 0, prf: prf.id, group: dh.id };
}

export function childAlgorithmsOf(p: Proposal): ChildAlgorithms | undefined {
  const encr = p.transforms.find((t) => t.type === TransformType.ENCR);
  if (encr === undefined) return undefined;
  const integ = p.transforms.find((t) => t.type === TransformType.INTEG);
  const dh = p.transforms.find((t) => t.type === TransformType.DH);
  const esn = p.transforms.find((t) => t.type === TransformType.ESN);
  if (!isAead(encr.id) && (integ === undefined || integ.id === 0)) return undefined;
  return { encr: encr.id, keyLength: encr.keyLength ?? 0, integ: integ?.id ?? 0, esn: esn?.id === EsnId.ESN, group: dh?.id ?? 0 };
}

// A handful of distinct algorithm sets exist on a gateway (its configured
// proposals): a short list compared field by field is cheaper than building a
// string key per handshake, and it stays short (bounded: past the limit a set
// is simply not shared).
const maxInterned = 64;
const internedIke: IkeAlgorithms[] = [];
const internedChild: ChildAlgorithms[] = [];

/** One shared frozen object per distinct algorithm set: SAs hold a reference, not a copy. */
export function internIke(a: IkeAlgorithms): IkeAlgorithms {
  for (const v of internedIke) {
    if (v === a || (v.encr === a.encr && v.keyLength === a.keyLength && v.integ === a.integ && v.prf === a.prf && v.group === a.group)) return v;
  }
  const v = Object.freeze({ encr: a.encr, keyLength: a.keyLength, integ: a.integ, prf: a.prf, group: a.group });
  if (internedIke.length < maxInterned) internedIke.push(v);
  return v;
}

export function internChild(a: ChildAlgorithms): ChildAlgorithms {
  for (const v of internedChild) {
    if (v === a || (v.encr === a.encr && v.keyLength === a.keyLength && v.integ === a.integ && v.esn === a.esn && v.group === a.group)) return v;
  }
  const v = Object.freeze({ encr: a.encr, keyLength: a.keyLength, integ: a.integ, esn: a.esn, group: a.group });
  if (internedChild.length < maxInterned) internedChild.push(v);
  return v;
}
