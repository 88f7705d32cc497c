// IKE_SA_INIT (RFC 7296 §1.2), both roles.
//
// Responder: everything that can refuse a request without state comes first
// — retransmission of a request we already answered (§2.1), COOKIE (§2.6),
// limits, the RFC 5685 §4 redirect, NO_PROPOSAL_CHOSEN, INVALID_KE_PAYLOAD
// (§1.2) — so a flood costs no DH. Only then is an SA created and the DH
// job (validate the peer's value, make ours, derive: one native job) run.
//
// Initiator: sends SA, KE, Ni, NAT detection and REDIRECT_SUPPORTED (or
// REDIRECTED_FROM after a redirect, RFC 5685 §5); handles COOKIE and
// INVALID_KE_PAYLOAD by retrying (bounded), a REDIRECT only if it echoes our
// Ni exactly (RFC 5685 §4: else it is ignored and we keep waiting), and
// the real response by deriving keys and moving on to IKE_AUTH.
import { ExchangeType, NotifyType, PayloadType } from './constants';
import type { Datagram, IkeCore } from './core';
import { InvalidPeerPublicValue } from './crypto-port';
import { exchangeName, checkPayloads, rulesFor, violationText } from './exchange-rules';
import { sendIkeAuthRequest } from './ike-auth';
import { type Endpoint, type Handshake, IkeSa } from './ike-sa';
import { adoptIkeKeys, installIkeKeys } from './keys';
import { initiatorKey } from './sa-table';
import { detectNat, natNotifies } from './nat-detection';
import { errorNotify, findNotify, findPayload, notify, type Payload } from './payloads';
import type { IkePolicy, IkeProposalPolicy, ProfilePolicy } from './policy';
import { acceptedFromOffer, chooseIke, ikeAlgorithmsOf, ikeProposals } from './proposals';
import { parseRedirectData, redirectedFromNotify, redirectNotify, redirectSupportedNotify } from './redirect';
import type { RedirectTarget } from './redirect-provider';
import type { DecodedDatagram, OutHeader } from './wire-port';

const zeroSpi = Buffer.alloc(8);
/** Our nonce length (RFC 7296 §2.10: at least half the PRF key size, 16..256 octets). */
export const nonceLength = 32;
/** COOKIE and INVALID_KE_PAYLOAD retries before an initiator gives up (strongSwan: 5). */
const maxInitAttempts = 5;
/** Hash algorithms we announce for RFC 7427 signatures (SHA2-256/384/512, RFC 7427 §4). */
const signatureHashes = Buffer.from([0, 2, 0, 3, 0, 4]);

// ================================================================ responder

export async function respondIkeSaInit(core: IkeCore, dg: Datagram, decoded: DecodedDatagram): Promise<void> {
  const h = decoded.header;
  if (!h.initiator || h.messageId !== 0 || !h.spiR.equals(zeroSpi)) {
    core.drop('malformed', dg, 'IKE_SA_INIT request needs the I flag, message ID 0 and a zero responder SPI (RFC 7296 §3.1)');
    return;
  }
  // §2.1: a retransmission of the request that created a half-open SA gets the same answer.
  const byInitiator = initiatorKey(h.spiI, dg.remote.address);
  const existing = core.table.findByInitiator(byInitiator);
  if (existing !== undefined) {
    const hs = existing.handshake;
    if (hs !== undefined && hs.initRequest.equals(dg.data) && existing.lastResponse !== undefined) {
      core.stats.retransmitsAnswered++;
      core.sendRaw(dg.local, dg.remote, existing.lastResponse);
    } else {
      core.drop(existing.busy ? 'retransmit-in-progress' : 'message-id-window', dg, 'IKE_SA_INIT for an SPI already in negotiation');
    }
    return;
  }
  const rules = rulesFor(ExchangeType.IKE_SA_INIT, false);
  const violation = rules === undefined ? undefined : checkPayloads(rules, decoded.types);
  if (violation !== undefined) {
    // Unprotected: we cannot send INVALID_SYNTAX (RFC 7296 §3.10.1), so the message is dropped.
    core.drop('not-allowed-in-exchange', dg, violationText(violation, h.exchange, false));
    return;
  }
  const payloads = decoded.payloads;
  const sa = findPayload(payloads, PayloadType.SA);
  const ke = findPayload(payloads, PayloadType.KE);
  const ni = findPayload(payloads, PayloadType.NONCE);
  if (sa === undefined || ke === undefined || ni === undefined) return;
  const redirectedFrom = findNotify(payloads, NotifyType.REDIRECTED_FROM);
  const redirectSupported = findNotify(payloads, NotifyType.REDIRECT_SUPPORTED) !== undefined || redirectedFrom !== undefined;

  // §2.6: above the threshold a request must carry a valid cookie, checked statelessly.
  const threshold = core.policy.cookieThreshold;
  if (core.cookieJar !== undefined && threshold !== undefined && core.table.halfOpenCount >= threshold) {
    const first = payloads[0];
    const cookie = first !== undefined && first.type === PayloadType.NOTIFY && first.notifyType === NotifyType.COOKIE ? first.data : undefined;
    if (cookie === undefined || !core.cookieJar.verify(cookie, ni.data, dg.remote.address, h.spiI)) {
      core.stats.cookiesSent++;
      refuse(core, dg, h.spiI, [notify(NotifyType.COOKIE, core.cookieJar.make(ni.data, dg.remote.address, h.spiI))]);
      return;
    }
  }
  if (core.policy.maxHalfOpen !== undefined && core.table.halfOpenCount >= core.policy.maxHalfOpen) {
    core.drop('half-open-limit', dg);
    return;
  }
  if (core.policy.maxSa !== undefined && core.table.size >= core.policy.maxSa) {
    core.drop('sa-limit', dg);
    return;
  }
  // RFC 5685 §4: only a client that announced support is redirected, and no state is kept.
  if (redirectSupported && core.redirect.redirectOnInit !== undefined) {
    const target = core.redirect.redirectOnInit({ address: dg.remote.address, port: dg.remote.port });
    if (target !== undefined) {
      core.stats.redirectsSent++;
      core.log.info({ peer: `${dg.remote.address}:${dg.remote.port}`, target }, 'redirecting client in IKE_SA_INIT');
      refuse(core, dg, h.spiI, [redirectNotify(target, ni.data)]);
      return;
    }
  }
  const choice = chooseIke(core.policy.proposals, sa.proposals, ke.group, (g) => core.crypto.dhSupported(g));
  if (choice === undefined) {
    core.log.info({ peer: `${dg.remote.address}:${dg.remote.port}` }, 'no acceptable IKE proposal (NO_PROPOSAL_CHOSEN)');
    refuse(core, dg, h.spiI, [notify(NotifyType.NO_PROPOSAL_CHOSEN)]);
    return;
  }
  if (choice.wantGroup !== undefined) {
    // §1.2: the group we want, so the initiator can retry with the right KE.
    const data = Buffer.alloc(2);
    data.writeUInt16BE(choice.wantGroup);
    refuse(core, dg, h.spiI, [notify(NotifyType.INVALID_KE_PAYLOAD, data)]);
    return;
  }

  if (redirectedFrom !== undefined) {
    const from = parseRedirectData(redirectedFrom.data);
    core.log.info({ peer: `${dg.remote.address}:${dg.remote.port}`, redirectedFrom: from === undefined ? 'malformed' : from.target }, 'client arrives with REDIRECTED_FROM');
  }
  // State from here on.
  const localSpi = core.table.allocateSpi(core.random);
  const ike = core.newSa(false, localSpi, h.spiI, dg.local, dg.remote);
  ike.algorithms = choice.algorithms;
  const nr = core.random(nonceLength);
  const hs: Handshake = newHandshake(ni.data, nr, dg.data);
  hs.peerRedirectSupported = redirectSupported;
  hs.peerHashes = readHashes(payloads);
  ike.handshake = hs;
  ike.peerNextRequestId = 1;
  ike.deadline = core.now() + core.policy.halfOpenTimeoutMs;
  core.register(ike);
  core.table.rememberInitiator(ike, byInitiator);
  ike.busy = true;
  let dh;
  try {
    // DH and the key derivation in one pool job: g^ir never reaches JavaScript (RFC 7296 §2.14).
    dh = await core.crypto.dhRespondWithKeys(ke.group, ke.data, choice.algorithms, ni.data, nr, h.spiI, localSpi);
  } catch (err) {
    ike.busy = false;
    if (err instanceof InvalidPeerPublicValue) {
      // Zero or out-of-range KE data (RFC 7296 §5, RFC 6989 §2): refused without an SA,
      // with NO_PROPOSAL_CHOSEN as strongSwan does (INVALID_SYNTAX may not go unencrypted, §3.10.1).
      core.drop('invalid-ke', dg, err.message);
      refuse(core, dg, h.spiI, [notify(NotifyType.NO_PROPOSAL_CHOSEN)]);
      core.destroy(ike, 'invalid KE data');
      return;
    }
    core.destroy(ike, 'DH failed');
    throw err;
  }
  ike.busy = false;
  if (ike.state === 'dead') {
    dh.keys.wipe();
    return;
  }
  adoptIkeKeys(ike, dh.keys);
  const nat = detectNat(core.crypto, payloads, h.spiI, zeroSpi, dg.local, dg.remote);
  ike.natLocal = nat.local;
  ike.natRemote = nat.remote;
  const response: Payload[] = [
    { type: PayloadType.SA, proposals: [choice.proposal] },
    { type: PayloadType.KE, group: ke.group, data: dh.publicValue },
    { type: PayloadType.NONCE, data: nr },
  ];
  if (nat.supported) natNotifies(core.crypto, h.spiI, localSpi, dg.local, dg.remote, response);
  const certReq = certificateRequest(core);
  if (certReq !== undefined) response.push(certReq);
  if (hs.peerHashes.length > 0 || usesSignatures(core.policy.profiles)) response.push(notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, signatureHashes));
  const header: OutHeader = { spiI: h.spiI, spiR: localSpi, exchange: ExchangeType.IKE_SA_INIT, initiator: false, response: true, messageId: 0 };
  const bytes = core.wire.encode(header, response);
  hs.initResponse = bytes;
  ike.lastResponse = bytes;
  core.stats.countSent(exchangeName(ExchangeType.IKE_SA_INIT), true);
  for (const p of response) if (p.type === PayloadType.NOTIFY) core.stats.notifySent(p.notifyType);
  core.sendRaw(dg.local, dg.remote, bytes);
  if (core.log.isLevelEnabled('debug')) core.log.debug({ sa: ike.id, spiI: h.spiI.toString('hex'), spiR: localSpi.toString('hex'), peer: `${dg.remote.address}:${dg.remote.port}` }, 'IKE_SA_INIT answered');
}

/** A stateless IKE_SA_INIT answer carrying only `notifies` (COOKIE, REDIRECT, errors). */
function refuse(core: IkeCore, dg: Datagram, spiI: Buffer, notifies: Payload[]): void {
  const header: OutHeader = { spiI, spiR: zeroSpi, exchange: ExchangeType.IKE_SA_INIT, initiator: false, response: true, messageId: 0 };
  for (const n of notifies) if (n.type === PayloadType.NOTIFY) core.stats.notifySent(n.notifyType);
  core.stats.countSent(exchangeName(ExchangeType.IKE_SA_INIT), true);
  core.sendRaw(dg.local, dg.remote, core.wire.encode(header, notifies));
}

/** Replaced by the encoded response before anything reads it (no Buffer per handshake). */
const noResponseYet = Buffer.alloc(0);

/** The empty list every fresh handshake starts with (shared: the fields are replaced, never pushed to). */
const none: readonly never[] = Object.freeze([]);

function newHandshake(ni: Buffer, nr: Buffer, initRequest: Buffer): Handshake {
  return {
    ni,
    nr,
    dh: undefined,
    initRequest,
    initResponse: noResponseYet,
    cookie: undefined,
    peerRedirectSupported: false,
    peerHashes: none,
    peerCertReq: false,
    childSpiIn: 0,
    childProposals: none,
    childTsI: none,
    childTsR: none,
    idBody: undefined,
    offered: none,
    attempts: 0,
    natTPorts: undefined,
    redirectedFrom: undefined,
    cpRequested: false,
  };
}

function readHashes(payloads: readonly Payload[]): readonly number[] {
  const n = findNotify(payloads, NotifyType.SIGNATURE_HASH_ALGORITHMS);
  if (n === undefined) return none;
  const out: number[] = [];
  for (let i = 0; i + 1 < n.data.length; i += 2) out.push(n.data.readUInt16BE(i));
  return out;
}

function usesSignatures(profiles: readonly ProfilePolicy[]): boolean {
  return profiles.some((p) => p.localAuth.kind === 'signature' || p.remoteAuth.includes('signature'));
}

/** The policy's CERTREQ, made once per policy (the same for every IKE_SA_INIT). */
const certificateRequests = new WeakMap<IkePolicy, { readonly payload: Payload | undefined }>();

function certificateRequest(core: IkeCore): Payload | undefined {
  let cached = certificateRequests.get(core.policy);
  if (cached === undefined) certificateRequests.set(core.policy, (cached = { payload: makeCertificateRequest(core) }));
  return cached.payload;
}

/** CERTREQ with the SHA-1 hashes of every trust anchor we verify with (RFC 7296 §3.7). */
function makeCertificateRequest(core: IkeCore): Payload | undefined {
  const hashes = core.policy.profiles.filter((p) => p.remoteAuth.includes('signature') && p.trust !== undefined).map((p) => p.trust?.caKeyHashes as Buffer);
  if (hashes.length === 0) return undefined;
  const unique: Buffer[] = [];
  for (const all of hashes) {
    for (let i = 0; i + 20 <= all.length; i += 20) {
      const h = all.subarray(i, i + 20);
      if (!unique.some((u) => u.equals(h))) unique.push(h);
    }
  }
  return { type: PayloadType.CERTREQ, encoding: 4, data: Buffer.concat(unique) };
}

// ================================================================ initiator

export interface InitiateOptions {
  readonly profile: ProfilePolicy;
  /** The gateway's IKE address and port (usually 500). */
  readonly remote: Endpoint;
  /** Our address and port the request leaves from. */
  readonly local: Endpoint;
  /** Ports to move to if a NAT is detected (RFC 7296 §2.23); default 4500 on both sides. */
  readonly natTPorts?: { readonly local: number; readonly remote: number };
  /** After a redirect: the gateway that sent us here (REDIRECTED_FROM, RFC 5685 §5). */
  readonly redirectedFrom?: RedirectTarget;
  /** IKE proposals to offer; default the policy's. */
  readonly proposals?: readonly IkeProposalPolicy[];
  /** Ask for a virtual address (CP CFG_REQUEST) in IKE_AUTH. Default true. */
  readonly requestAddress?: boolean;
}

/** Creates an initiator SA and sends its first IKE_SA_INIT (DH key generation runs first). */
export function initiate(core: IkeCore, options: InitiateOptions): IkeSa {
  const spi = core.table.allocateSpi(core.random);
  const sa = core.newSa(true, spi, Buffer.alloc(8), options.local, options.remote);
  sa.profile = options.profile;
  const hs = newHandshake(core.random(nonceLength), Buffer.alloc(0), Buffer.alloc(0));
  hs.natTPorts = options.natTPorts ?? { local: 4500, remote: 4500 };
  hs.redirectedFrom = options.redirectedFrom;
  hs.cpRequested = options.requestAddress ?? true;
  const proposals = options.proposals ?? core.policy.proposals;
  hs.offered = ikeProposals(proposals);
  sa.handshake = hs;
  sa.deadline = core.now() + core.policy.halfOpenTimeoutMs + retransmitSpan(core);
  core.register(sa);
  const first = proposals[0]?.groups[0];
  if (first === undefined) {
    queueMicrotask(() => {
      core.emit({ kind: 'failed', sa, reason: 'no IKE proposal configured', notify: undefined });
      core.destroy(sa, 'no IKE proposal');
    });
    return sa;
  }
  void sendInit(core, sa, first);
  return sa;
}

/** Time the retransmissions of one request take before the peer is declared dead. */
function retransmitSpan(core: IkeCore): number {
  const r = core.policy.retransmit;
  let total = 0;
  for (let i = 0; i <= r.tries; i++) total += r.timeoutMs * Math.pow(r.base, i);
  return Math.round(total);
}

async function sendInit(core: IkeCore, sa: IkeSa, group: number): Promise<void> {
  const hs = sa.handshake;
  if (hs === undefined) return;
  hs.attempts++;
  if (hs.dh === undefined || hs.dh.group !== group) {
    hs.dh?.privateBlob.fill(0);
    try {
      hs.dh = await core.crypto.dhGenerate(group);
    } catch (err) {
      core.emit({ kind: 'failed', sa, reason: `DH group ${group} unavailable`, notify: undefined });
      core.destroy(sa, 'DH generation failed');
      core.log.error({ err, sa: sa.id }, 'DH key generation failed');
      return;
    }
  }
  if (sa.state === 'dead') return;
  const dh = hs.dh;
  const payloads: Payload[] = [];
  if (hs.cookie !== undefined) payloads.push(notify(NotifyType.COOKIE, hs.cookie)); // §2.6: first payload
  hs.offered = reorderGroups(hs.offered, group);
  payloads.push(
    { type: PayloadType.SA, proposals: hs.offered },
    { type: PayloadType.KE, group, data: dh.publicValue },
    { type: PayloadType.NONCE, data: hs.ni },
    ...natNotifies(core.crypto, sa.localSpi, zeroSpi, sa.local, sa.remote),
  );
  if (usesSignatures([sa.profile as ProfilePolicy])) payloads.push(notify(NotifyType.SIGNATURE_HASH_ALGORITHMS, signatureHashes));
  if (core.policy.redirectClient) payloads.push(hs.redirectedFrom !== undefined ? redirectedFromNotify(hs.redirectedFrom) : redirectSupportedNotify());
  const header: OutHeader = { spiI: sa.localSpi, spiR: zeroSpi, exchange: ExchangeType.IKE_SA_INIT, initiator: true, response: false, messageId: 0 };
  const bytes = core.wire.encode(header, payloads);
  hs.initRequest = bytes;
  sa.nextRequestId = 1;
  core.startOutstanding(sa, 0, bytes, {
    exchange: ExchangeType.IKE_SA_INIT,
    what: 'IKE_SA_INIT',
    onResponse: () => undefined, // handled by handleIkeSaInitResponse
  });
  core.stats.countSent(exchangeName(ExchangeType.IKE_SA_INIT), false);
  core.sendRaw(sa.local, sa.remote, bytes);
}

/** Our proposals with `group` moved first in each, so the KE we send matches our first choice. */
function reorderGroups(offered: readonly import('./payloads').Proposal[], group: number): import('./payloads').Proposal[] {
  return offered.map((p) => {
    const dh = p.transforms.filter((t) => t.type === 4);
    if (!dh.some((t) => t.id === group)) return p;
    const others = p.transforms.filter((t) => t.type !== 4);
    return { ...p, transforms: [...others, ...dh.filter((t) => t.id === group), ...dh.filter((t) => t.id !== group)] };
  });
}

export async function handleIkeSaInitResponse(core: IkeCore, sa: IkeSa, dg: Datagram, decoded: DecodedDatagram): Promise<void> {
  const hs = sa.handshake;
  if (hs === undefined || sa.state !== 'init-sent') {
    core.drop('unexpected-response', dg, 'IKE_SA_INIT response after the handshake moved on');
    return;
  }
  const rules = rulesFor(ExchangeType.IKE_SA_INIT, true);
  const violation = rules === undefined ? undefined : checkPayloads(rules, decoded.types);
  if (violation !== undefined) {
    // Unauthenticated: keep waiting for a valid response (RFC 7296 §2.21.1).
    core.drop('not-allowed-in-exchange', dg, violationText(violation, ExchangeType.IKE_SA_INIT, true));
    return;
  }
  const payloads = decoded.payloads;
  for (const p of payloads) if (p.type === PayloadType.NOTIFY) core.stats.notifyReceived(p.notifyType);

  const redirect = findNotify(payloads, NotifyType.REDIRECT);
  if (redirect !== undefined && core.policy.redirectClient) {
    const parsed = parseRedirectData(redirect.data);
    // RFC 5685 §4: the nonce must be our Ni, byte for byte; otherwise it is ignored (anti-spoofing).
    if (parsed === undefined || !parsed.nonce.equals(hs.ni)) {
      core.drop('bad-redirect', dg, parsed === undefined ? 'malformed REDIRECT data' : 'REDIRECT nonce does not match Ni');
      return;
    }
    core.clearOutstanding(sa);
    core.stats.redirectsFollowed++;
    core.log.info({ sa: sa.id, from: `${sa.remote.address}`, target: parsed.target }, 'redirected in IKE_SA_INIT');
    core.emit({ kind: 'redirected', sa, target: parsed.target, where: 'init', from: sa.remote });
    core.destroy(sa, 'redirected');
    return;
  }
  const cookie = findNotify(payloads, NotifyType.COOKIE);
  if (cookie !== undefined) {
    if (hs.attempts >= maxInitAttempts) return fail(core, sa, 'too many COOKIE/INVALID_KE retries', NotifyType.COOKIE);
    hs.cookie = cookie.data;
    core.clearOutstanding(sa);
    await sendInit(core, sa, hs.dh?.group ?? 0);
    return;
  }
  const invalidKe = findNotify(payloads, NotifyType.INVALID_KE_PAYLOAD);
  if (invalidKe !== undefined && invalidKe.data.length === 2) {
    const wanted = invalidKe.data.readUInt16BE(0);
    const offeredGroups = new Set(hs.offered.flatMap((p) => p.transforms.filter((t) => t.type === 4).map((t) => t.id)));
    // §1.2: retry with the group the responder asked for, if we offered it at all.
    if (!offeredGroups.has(wanted) || wanted === hs.dh?.group || hs.attempts >= maxInitAttempts) {
      return fail(core, sa, `responder wants DH group ${wanted}`, NotifyType.INVALID_KE_PAYLOAD);
    }
    core.log.info({ sa: sa.id, group: wanted }, 'responder asked for another DH group (INVALID_KE_PAYLOAD); retrying');
    core.clearOutstanding(sa);
    await sendInit(core, sa, wanted);
    return;
  }
  const error = errorNotify(payloads);
  if (error !== undefined) return fail(core, sa, `responder refused: notify ${error.notifyType}`, error.notifyType);

  const saPayload = findPayload(payloads, PayloadType.SA);
  const ke = findPayload(payloads, PayloadType.KE);
  const nr = findPayload(payloads, PayloadType.NONCE);
  const dh = hs.dh;
  if (saPayload === undefined || ke === undefined || nr === undefined || dh === undefined) return;
  const accepted = acceptedFromOffer(hs.offered, saPayload.proposals);
  const algorithms = accepted === undefined ? undefined : ikeAlgorithmsOf(accepted);
  if (algorithms === undefined || algorithms.group !== ke.group || ke.group !== dh.group) {
    return fail(core, sa, 'responder chose a proposal we did not offer', undefined);
  }
  const spiR = decoded.header.spiR;
  if (spiR.equals(zeroSpi)) return;
  let shared: Buffer;
  try {
    shared = await core.crypto.dhDerive(dh, ke.data);
  } catch (err) {
    if (err instanceof InvalidPeerPublicValue) {
      core.drop('invalid-ke', dg, err.message);
      return fail(core, sa, 'responder sent invalid KE data', undefined);
    }
    throw err;
  }
  if (sa.state !== 'init-sent') return;
  core.clearOutstanding(sa);
  sa.remoteSpi = Buffer.from(spiR);
  sa.algorithms = algorithms;
  hs.nr = nr.data;
  hs.initResponse = dg.data;
  hs.peerHashes = readHashes(payloads);
  hs.peerCertReq = payloads.some((p) => p.type === PayloadType.CERTREQ);
  try {
    installIkeKeys(core, sa, hs.ni, hs.nr, shared, undefined);
  } finally {
    shared.fill(0);
  }
  dh.privateBlob.fill(0);
  hs.dh = undefined;
  const nat = detectNat(core.crypto, payloads, sa.localSpi, spiR, dg.local, dg.remote);
  sa.natLocal = nat.local;
  sa.natRemote = nat.remote;
  if ((nat.local || nat.remote) && hs.natTPorts !== undefined) {
    // §2.23: with a NAT in the path, continue on port 4500 with the non-ESP marker.
    sa.local = { address: sa.local.address, port: hs.natTPorts.local };
    sa.remote = { address: sa.remote.address, port: hs.natTPorts.remote };
  }
  core.transition(sa, 'auth-sent');
  await sendIkeAuthRequest(core, sa);
}

function fail(core: IkeCore, sa: IkeSa, reason: string, notifyType: number | undefined): void {
  core.clearOutstanding(sa);
  core.log.warn({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}`, reason }, 'IKE_SA_INIT failed');
  core.emit({ kind: 'failed', sa, reason, notify: notifyType });
  core.destroy(sa, reason);
}
