// CREATE_CHILD_SA (RFC 7296 §1.3): new CHILD SAs, CHILD SA rekeys (§1.3.3,
// N(REKEY_SA)) and IKE SA rekeys (§1.3.2, §2.18), in both roles, with the
// collisions of §2.8.1 / §2.8.2 / §2.25:
//  - both ends rekey the same SA: both exchanges complete; the SA created with
//    the lowest of the four nonces is redundant and its creator deletes it;
//    the initiator of the surviving exchange deletes the old SA;
//  - a rekey of an SA we are deleting → TEMPORARY_FAILURE; of an SA we do not
//    have → CHILD_SA_NOT_FOUND; any request while we rekey the IKE SA →
//    TEMPORARY_FAILURE (retried later by the peer, §2.25).
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from './constants';
import { temporaryFailureRetryMs, type Datagram, type IkeCore, type Reply } from './core';
import { InvalidPeerPublicValue, type DhPair } from './crypto-port';
import { answerProposal, childOffer, installChild, jitter, negotiateChild, pfsGroups, spiBytes } from './child-sa-setup';
import { IkeSa, type ChildSa, type IkeAlgorithms } from './ike-sa';
import { nonceLength } from './ike-sa-init';
import { sendDeleteChildren, sendDeleteIke } from './informational';
import { errorNotify, findNotify, findPayload, notify, type Payload } from './payloads';
import { acceptedFromOffer, childAlgorithmsOf, chooseIke, espProposals, ikeAlgorithmsOf, ikeProposals, internIke } from './proposals';

/** A rekeyed SA the peer should delete is deleted by us after this long if it does not (strongSwan: delete_rekeyed_delay). */
const rekeyedGraceMs = 30_000;
/** INVALID_KE_PAYLOAD retries of one rekey. */
const maxRekeyAttempts = 3;

function lowestNonceIsIn(ours: readonly Buffer[], theirs: readonly Buffer[]): boolean {
  // §2.8.1: "lowest" compares the nonces as octet strings.
  const all = [...ours.map((n) => ({ n, mine: true })), ...theirs.map((n) => ({ n, mine: false }))];
  all.sort((a, b) => compareNonce(a.n, b.n));
  return (all[0] as { mine: boolean }).mine;
}

function compareNonce(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  const c = Buffer.compare(a.subarray(0, n), b.subarray(0, n));
  return c !== 0 ? c : a.length - b.length;
}

function temporaryFailure(): Reply {
  return { payloads: [notify(NotifyType.TEMPORARY_FAILURE)] };
}

// ================================================================ responder

export async function respondCreateChildSa(core: IkeCore, sa: IkeSa, payloads: readonly Payload[], dg: Datagram): Promise<Reply> {
  const profile = sa.profile;
  const saPayload = findPayload(payloads, PayloadType.SA);
  const nonce = findPayload(payloads, PayloadType.NONCE);
  if (profile === undefined || saPayload === undefined || nonce === undefined) return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
  // §2.25.2: the SA is going away or being replaced: try again later (on the new one).
  if (sa.state !== 'established') return temporaryFailure();
  const isIke = saPayload.proposals.some((p) => p.protocol === ProtocolId.IKE);
  if (isIke) return respondIkeRekey(core, sa, payloads, dg);
  // §2.25.2: no CHILD SA work while our own IKE SA rekey is in flight.
  if (sa.rekeyingIke) return temporaryFailure();
  const rekey = findNotify(payloads, NotifyType.REKEY_SA);
  let old: ChildSa | undefined;
  if (rekey !== undefined) {
    if (rekey.spi.length !== 4) return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
    old = sa.findChildByOutboundSpi(rekey.spi.readUInt32BE(0));
    // §2.25.1: an SA we do not have / are deleting.
    if (old === undefined) return { payloads: [notify(NotifyType.CHILD_SA_NOT_FOUND, Buffer.alloc(0), rekey.protocol, rekey.spi)] };
    if (old.state === 'deleting' || old.state === 'rekeyed') return temporaryFailure();
  }
  const offer = childOffer(payloads);
  if (offer === undefined) return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
  const n = negotiateChild(core, sa, profile, offer, false, sa.leasedAddress);
  if (!n.ok) {
    core.log.info({ sa: sa.id, reason: n.reason }, 'CREATE_CHILD_SA refused');
    return { payloads: [n.notify] };
  }
  const ke = findPayload(payloads, PayloadType.KE);
  let shared: Buffer | undefined;
  let kePayload: Payload | undefined;
  if (n.choice.algorithms.group !== 0) {
    if (ke === undefined) return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
    try {
      const r = await core.crypto.dhRespond(ke.group, ke.data);
      shared = r.shared;
      kePayload = { type: PayloadType.KE, group: ke.group, data: r.publicValue };
    } catch (err) {
      if (err instanceof InvalidPeerPublicValue) {
        // Zero or out-of-range KE data (RFC 6989 §2): INVALID_SYNTAX, allowed here because the message was authenticated (§3.10.1).
        core.drop('invalid-ke', dg, err.message);
        return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
      }
      throw err;
    }
  }
  if (sa.state !== 'established') return temporaryFailure();
  const nr = core.random(nonceLength);
  const { id, spi } = core.allocateChildSpi();
  const response: Payload[] = [];
  if (n.mode === 'transport') response.push(notify(NotifyType.USE_TRANSPORT_MODE));
  response.push({ type: PayloadType.SA, proposals: [answerProposal(n.choice, spi)] }, { type: PayloadType.NONCE, data: nr });
  if (kePayload !== undefined) response.push(kePayload);
  response.push({ type: PayloadType.TSi, selectors: n.tsi }, { type: PayloadType.TSr, selectors: n.tsr });
  const ni = nonce.data;
  return {
    payloads: response,
    after: () => {
      const child = installChild(
        core,
        sa,
        profile,
        { id, spiIn: spi, spiOut: n.choice.peerSpi, algorithms: n.choice.algorithms, mode: n.mode, localTs: n.tsr, remoteTs: n.tsi, ni, nr, shared, initiatedByUs: false },
        old,
      );
      shared?.fill(0);
      if (old === undefined) return;
      if (old.state === 'rekeying') {
        // §2.8.1: we rekey it too; who wins is decided when our response arrives.
        old.peerRekey = { child, ni, nr };
      } else {
        // The initiator of the rekey deletes the old SA (§1.3.3); if it does not, we do.
        old.state = 'rekeyed';
        old.rekeyAt = 0;
        old.deleteAt = core.now() + rekeyedGraceMs;
        core.arm(sa);
      }
    },
  };
}

async function respondIkeRekey(core: IkeCore, sa: IkeSa, payloads: readonly Payload[], dg: Datagram): Promise<Reply> {
  const saPayload = findPayload(payloads, PayloadType.SA);
  const ke = findPayload(payloads, PayloadType.KE);
  const nonce = findPayload(payloads, PayloadType.NONCE);
  const old = sa.algorithms;
  const oldKeys = sa.keys;
  if (saPayload === undefined || ke === undefined || nonce === undefined || old === undefined || oldKeys === undefined) {
    return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
  }
  if (sa.children.some((c) => c.state === 'rekeying')) return temporaryFailure(); // finish our CHILD rekey first (§2.25)
  // Keep the old PRF first so SKEYSEED (old PRF, §2.18) and prf+ (new PRF) agree.
  const proposals = core.policy.proposals.map((p) => ({ ...p, prf: [old.prf, ...p.prf.filter((x) => x !== old.prf)] }));
  const offered = saPayload.proposals.filter((p) => p.protocol === ProtocolId.IKE && p.spi.length === 8);
  const choice = chooseIke(proposals, offered, ke.group, (g) => core.crypto.dhSupported(g));
  if (choice === undefined) return { payloads: [notify(NotifyType.NO_PROPOSAL_CHOSEN)] };
  if (choice.wantGroup !== undefined) {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(choice.wantGroup);
    return { payloads: [notify(NotifyType.INVALID_KE_PAYLOAD, data)] };
  }
  let dh;
  try {
    dh = await core.crypto.dhRespond(ke.group, ke.data);
  } catch (err) {
    if (err instanceof InvalidPeerPublicValue) {
      core.drop('invalid-ke', dg, err.message);
      return { payloads: [notify(NotifyType.INVALID_SYNTAX)] };
    }
    throw err;
  }
  if (sa.state !== 'established') return temporaryFailure();
  const nr = core.random(nonceLength);
  const localSpi = core.table.allocateSpi(core.random);
  // §2.18: the initiator of the rekey is the original initiator of the new SA.
  const fresh = successor(core, sa, false, localSpi, choice.proposal.spi, choice.algorithms);
  fresh.keys = core.crypto.deriveIkeSaKeys(choice.algorithms, nonce.data, nr, dh.shared, fresh.spiI, fresh.spiR, oldKeys.skD);
  fresh.keys.wipeAuthKeys();
  dh.shared.fill(0);
  const ni = nonce.data;
  return {
    payloads: [{ type: PayloadType.SA, proposals: [{ ...choice.proposal, spi: localSpi }] }, { type: PayloadType.NONCE, data: nr }, { type: PayloadType.KE, group: ke.group, data: dh.publicValue }],
    after: () => {
      core.register(fresh);
      core.stats.saEstablished++;
      if (sa.rekeyingIke) {
        // §2.8.2: collision; children move when our own rekey completes and the winner is known.
        sa.peerIkeRekey = { sa: fresh, ni, nr };
        return;
      }
      adoptChildren(core, sa, fresh);
      retire(core, sa, fresh, false);
    },
  };
}

/** The new IKE SA of a rekey: same peer, profile, identities; new SPIs, keys, message IDs. */
function successor(core: IkeCore, old: IkeSa, weInitiated: boolean, localSpi: Buffer, remoteSpi: Buffer, algorithms: IkeAlgorithms): IkeSa {
  const fresh = new IkeSa(core.table.allocateId(), weInitiated, localSpi, Buffer.from(remoteSpi), old.local, old.remote, core.now());
  fresh.state = 'established';
  fresh.algorithms = internIke(algorithms);
  fresh.profile = old.profile;
  fresh.localId = old.localId;
  fresh.remoteId = old.remoteId;
  fresh.authLocal = old.authLocal;
  fresh.authRemote = old.authRemote;
  fresh.natLocal = old.natLocal;
  fresh.natRemote = old.natRemote;
  fresh.virtualAddress = old.virtualAddress;
  const now = core.now();
  fresh.establishedAt = now;
  fresh.lastHeardAt = now;
  const profile = old.profile;
  if (profile !== undefined) {
    fresh.rekeyAt = now + Math.round(profile.lifetimeMs * (0.8 + 0.1 * jitter(core)));
    fresh.expireAt = now + profile.lifetimeMs;
    if (profile.dpd !== undefined) fresh.dpdAt = now + profile.dpd.intervalMs;
  }
  return fresh;
}

/** Moves the CHILD SAs and the pool lease to the new IKE SA (§2.8: they belong to it now). */
function adoptChildren(core: IkeCore, from: IkeSa, to: IkeSa): void {
  to.children.push(...from.children);
  from.children = [];
  if (from.leasedAddress !== undefined) {
    to.leasedAddress = from.leasedAddress;
    from.leasedAddress = undefined;
  }
  core.arm(to);
}

/**
 * The old IKE SA after a rekey: replaced, answering only Deletes. The rekey's
 * initiator deletes it (§2.18); the other side waits for that Delete.
 */
function retire(core: IkeCore, old: IkeSa, replacement: IkeSa, weDelete: boolean): void {
  old.replacedBy = replacement;
  old.rekeyAt = 0;
  old.expireAt = 0;
  old.dpdAt = 0;
  core.emit({ kind: 'rekeyed', sa: old, replacement });
  core.log.info({ sa: old.id, replacement: replacement.id, spiI: replacement.spiI.toString('hex'), spiR: replacement.spiR.toString('hex') }, 'IKE SA rekeyed');
  if (weDelete) {
    core.transition(old, 'established'); // sendDeleteIke moves it to deleting
    sendDeleteIke(core, old, true, 'replaced by rekey');
  } else {
    core.transition(old, 'rekeyed');
    old.deadline = core.now() + rekeyedGraceMs;
    core.arm(old);
  }
}

/**
 * The peer deletes an IKE SA whose rekey it completed with us while our own
 * rekey of it was still pending (§2.8.2): the SA the peer's rekey created
 * takes the CHILD SAs before the old one goes.
 */
export function adoptPeerRekey(core: IkeCore, sa: IkeSa): void {
  const successor = sa.peerIkeRekey?.sa;
  sa.peerIkeRekey = undefined;
  if (successor === undefined || successor.isDead()) return;
  adoptChildren(core, sa, successor);
  sa.replacedBy = successor;
  core.emit({ kind: 'rekeyed', sa, replacement: successor });
}

// ================================================================ initiator

export async function startChildRekey(core: IkeCore, sa: IkeSa, child: ChildSa, group?: number, attempt = 1): Promise<void> {
  const profile = sa.profile;
  if (profile === undefined || sa.state !== 'established' || child.state !== 'installed' && child.state !== 'rekeying') return;
  if (sa.rekeyingIke) {
    child.rekeyAt = core.now() + temporaryFailureRetryMs;
    core.arm(sa);
    return;
  }
  child.state = 'rekeying';
  const groups = pfsGroups(sa, profile).filter((g) => core.crypto.dhSupported(g));
  const pfs = group ?? groups[0];
  let dh: DhPair | undefined;
  if (pfs !== undefined) dh = await core.crypto.dhGenerate(pfs);
  if (sa.state !== 'established' || !sa.children.includes(child)) {
    dh?.privateBlob.fill(0);
    return;
  }
  const ni = core.random(nonceLength);
  const { id, spi } = core.allocateChildSpi();
  const proposals = espProposals(profile.child.proposals, spiBytes(spi), pfs);
  const payloads: Payload[] = [notify(NotifyType.REKEY_SA, Buffer.alloc(0), ProtocolId.ESP, spiBytes(child.spiIn))];
  if (child.mode === 'transport') payloads.push(notify(NotifyType.USE_TRANSPORT_MODE));
  payloads.push({ type: PayloadType.SA, proposals }, { type: PayloadType.NONCE, data: ni });
  if (dh !== undefined) payloads.push({ type: PayloadType.KE, group: dh.group, data: dh.publicValue });
  payloads.push({ type: PayloadType.TSi, selectors: child.localTs }, { type: PayloadType.TSr, selectors: child.remoteTs });
  const giveUp = (reason: string): void => {
    core.releaseChildSpi(spi);
    dh?.privateBlob.fill(0);
    if (child.state === 'rekeying') {
      if (child.peerRekey !== undefined) {
        // The peer's rekey of the same SA went through (§2.8.1): the old SA is replaced; the peer deletes it.
        child.state = 'rekeyed';
        child.rekeyAt = 0;
        child.deleteAt = core.now() + rekeyedGraceMs;
        core.arm(sa);
      } else {
        child.state = 'installed';
      }
    }
    child.peerRekey = undefined;
    core.log.warn({ sa: sa.id, child: child.id, reason }, 'CHILD SA rekey failed');
  };
  core.request(sa, ExchangeType.CREATE_CHILD_SA, payloads, {
    exchange: ExchangeType.CREATE_CHILD_SA,
    what: 'rekey CHILD SA',
    onFailure: giveUp,
    onResponse: async (response) => {
      const error = errorNotify(response);
      if (error !== undefined) {
        giveUp(`notify ${error.notifyType}`);
        if (error.notifyType === NotifyType.TEMPORARY_FAILURE) {
          child.rekeyAt = core.now() + temporaryFailureRetryMs + Math.round(temporaryFailureRetryMs * jitter(core));
        } else if (error.notifyType === NotifyType.CHILD_SA_NOT_FOUND) {
          core.removeChild(sa, child, 'peer does not know it');
        } else if (error.notifyType === NotifyType.INVALID_KE_PAYLOAD && error.data.length === 2 && attempt < maxRekeyAttempts) {
          const wanted = error.data.readUInt16BE(0);
          if (core.crypto.dhSupported(wanted)) void startChildRekey(core, sa, child, wanted, attempt + 1);
        }
        core.arm(sa);
        return;
      }
      const saPayload = findPayload(response, PayloadType.SA);
      const nr = findPayload(response, PayloadType.NONCE);
      const ke = findPayload(response, PayloadType.KE);
      const tsi = findPayload(response, PayloadType.TSi);
      const tsr = findPayload(response, PayloadType.TSr);
      const accepted = saPayload === undefined ? undefined : acceptedFromOffer(proposals, saPayload.proposals);
      const algorithms = accepted === undefined ? undefined : childAlgorithmsOf(accepted);
      if (accepted === undefined || algorithms === undefined || nr === undefined || accepted.spi.length !== 4) return giveUp('unusable response');
      let shared: Buffer | undefined;
      if (dh !== undefined) {
        if (ke === undefined || ke.group !== dh.group) return giveUp('no KE in the response');
        try {
          shared = await core.crypto.dhDerive(dh, ke.data);
        } catch {
          return giveUp('invalid KE in the response');
        } finally {
          dh.privateBlob.fill(0);
        }
      }
      if (sa.state === 'dead') return;
      const fresh = installChild(
        core,
        sa,
        profile,
        {
          id,
          spiIn: spi,
          spiOut: accepted.spi.readUInt32BE(0),
          algorithms,
          mode: findNotify(response, NotifyType.USE_TRANSPORT_MODE) !== undefined ? 'transport' : 'tunnel',
          localTs: tsi?.selectors ?? child.localTs,
          remoteTs: tsr?.selectors ?? child.remoteTs,
          ni,
          nr: nr.data,
          shared,
          initiatedByUs: true,
        },
        child,
      );
      shared?.fill(0);
      const collision = child.peerRekey;
      child.peerRekey = undefined;
      if (collision !== undefined && sa.children.includes(collision.child)) {
        // §2.8.1: the SA created with the lowest of the four nonces is redundant; its creator deletes it.
        if (lowestNonceIsIn([ni, nr.data], [collision.ni, collision.nr])) {
          core.log.info({ sa: sa.id, child: child.id }, 'CHILD SA rekey collision: ours is redundant');
          child.state = 'rekeyed';
          child.rekeyAt = 0;
          child.deleteAt = core.now() + rekeyedGraceMs; // the peer deletes it; this is the fallback
          sendDeleteChildren(core, sa, [fresh]);
          return;
        }
        core.log.info({ sa: sa.id, child: child.id }, 'CHILD SA rekey collision: ours survives');
      }
      // §1.3.3: the initiator of the (surviving) rekey deletes the old SA.
      sendDeleteChildren(core, sa, [child]);
    },
  });
}

export async function startIkeRekey(core: IkeCore, sa: IkeSa, group?: number, attempt = 1): Promise<void> {
  const algorithms = sa.algorithms;
  const keys = sa.keys;
  if (sa.state !== 'established' || algorithms === undefined || keys === undefined || sa.rekeyingIke && attempt === 1) return;
  if (sa.children.some((c) => c.state === 'rekeying')) {
    sa.rekeyAt = core.now() + temporaryFailureRetryMs;
    core.arm(sa);
    return;
  }
  sa.rekeyingIke = true;
  const dh = await core.crypto.dhGenerate(group ?? algorithms.group);
  if (sa.state !== 'established') {
    dh.privateBlob.fill(0);
    sa.rekeyingIke = false;
    return;
  }
  const ni = core.random(nonceLength);
  const newSpi = core.table.allocateSpi(core.random);
  // Offer the current suite first, then the configured ones (all with our new SPI).
  const proposals = ikeProposals(
    [
      { name: 'current', encryption: [{ id: algorithms.encr, keyLength: algorithms.keyLength }], integrity: algorithms.integ === 0 ? [] : [algorithms.integ], prf: [algorithms.prf], groups: [dh.group] },
      ...core.policy.proposals,
    ],
    newSpi,
    dh.group,
  );
  const giveUp = (reason: string): void => {
    sa.rekeyingIke = false;
    const collision = sa.peerIkeRekey;
    sa.peerIkeRekey = undefined;
    dh.privateBlob.fill(0);
    core.log.warn({ sa: sa.id, reason }, 'IKE SA rekey failed');
    if (collision !== undefined && !collision.sa.isDead() && sa.state === 'established') {
      // Ours failed but the peer's rekey of this SA went through (§2.8.2): its SA takes over; the peer deletes this one.
      adoptChildren(core, sa, collision.sa);
      retire(core, sa, collision.sa, false);
    }
  };
  core.request(sa, ExchangeType.CREATE_CHILD_SA, [{ type: PayloadType.SA, proposals }, { type: PayloadType.NONCE, data: ni }, { type: PayloadType.KE, group: dh.group, data: dh.publicValue }], {
    exchange: ExchangeType.CREATE_CHILD_SA,
    what: 'rekey IKE SA',
    onFailure: giveUp,
    onResponse: async (response) => {
      const error = errorNotify(response);
      if (error !== undefined) {
        giveUp(`notify ${error.notifyType}`);
        if (error.notifyType === NotifyType.TEMPORARY_FAILURE) {
          sa.rekeyAt = core.now() + temporaryFailureRetryMs + Math.round(temporaryFailureRetryMs * jitter(core));
        } else if (error.notifyType === NotifyType.INVALID_KE_PAYLOAD && error.data.length === 2 && attempt < maxRekeyAttempts) {
          const wanted = error.data.readUInt16BE(0);
          if (core.crypto.dhSupported(wanted)) void startIkeRekey(core, sa, wanted, attempt + 1);
        }
        core.arm(sa);
        return;
      }
      const saPayload = findPayload(response, PayloadType.SA);
      const nr = findPayload(response, PayloadType.NONCE);
      const ke = findPayload(response, PayloadType.KE);
      const accepted = saPayload === undefined ? undefined : acceptedFromOffer(proposals, saPayload.proposals);
      const chosen = accepted === undefined ? undefined : ikeAlgorithmsOf(accepted);
      if (accepted === undefined || chosen === undefined || nr === undefined || ke === undefined || ke.group !== dh.group || accepted.spi.length !== 8) {
        return giveUp('unusable response');
      }
      let shared: Buffer;
      try {
        shared = await core.crypto.dhDerive(dh, ke.data);
      } catch {
        return giveUp('invalid KE in the response');
      } finally {
        dh.privateBlob.fill(0);
      }
      if (sa.state !== 'established') return;
      sa.rekeyingIke = false;
      const fresh = successor(core, sa, true, newSpi, accepted.spi, chosen);
      fresh.keys = core.crypto.deriveIkeSaKeys(chosen, ni, nr.data, shared, fresh.spiI, fresh.spiR, keys.skD);
      fresh.keys.wipeAuthKeys();
      shared.fill(0);
      core.register(fresh);
      core.stats.saEstablished++;
      const collision = sa.peerIkeRekey;
      sa.peerIkeRekey = undefined;
      if (collision !== undefined && collision.sa.state === 'established') {
        if (lowestNonceIsIn([ni, nr.data], [collision.ni, collision.nr])) {
          // §2.8.2: ours is redundant: delete it, keep the peer's; the peer deletes the old SA.
          core.log.info({ sa: sa.id }, 'IKE SA rekey collision: ours is redundant');
          adoptChildren(core, sa, collision.sa);
          retire(core, sa, collision.sa, false);
          sendDeleteIke(core, fresh, true, 'redundant after rekey collision');
          return;
        }
        core.log.info({ sa: sa.id }, 'IKE SA rekey collision: ours survives');
      }
      adoptChildren(core, sa, fresh);
      retire(core, sa, fresh, true);
    },
  });
}
