// IKE_AUTH (RFC 7296 §1.2, §2.15, §2.16), both roles.
//
// Responder: pick the profile by the peer's identity, verify its AUTH; on
// failure answer N(AUTHENTICATION_FAILED) inside SK and delete the SA
// (§2.21.2). Then, if the redirect provider says so, answer IDr, AUTH,
// N(REDIRECT) with no CHILD SA (RFC 5685 §6); otherwise answer the CP
// request from the pool and set up the first CHILD SA. A CHILD SA failure
// (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE, INTERNAL_ADDRESS_FAILURE) does not
// fail the IKE SA (§1.2).
//
// Initiator: send IDi, [CERT], AUTH, [CP], SA, TSi, TSr (+ INITIAL_CONTACT);
// verify the responder's AUTH *before* believing anything else in the
// response, including a REDIRECT (RFC 5685 §6).
import { ExchangeType, NotifyType, PayloadType } from './constants';
import type { Datagram, IkeCore, Reply } from './core';
import { authMethodName, computeOwnAuth, ownIdentity, verifyPeerAuth, type OwnAuth } from './auth';
import { answerConfigRequest, configRequest, readConfigReply } from './config-payload';
import { answerProposal, childOffer, installChild, jitter, negotiateChild, spiBytes } from './child-sa-setup';
import type { Handshake, IkeSa } from './ike-sa';
import { wipeHandshake } from './ike-sa';
import { addressIdentity, idBody, identityFromPayload, idPayload } from './identity';
import { allPayloads, errorNotify, findNotify, findPayload, notify, type AuthPayload, type Payload } from './payloads';
import type { Identity, ProfilePolicy } from './policy';
import { acceptedFromOffer, childAlgorithmsOf, espProposals } from './proposals';
import { parseRedirectData, redirectNotify } from './redirect';
import { sendDeleteIke } from './informational';
import { contains, hostSelector, type TrafficSelector } from './traffic-selectors';

// ================================================================ responder

// Synchronous with pre-shared keys; a signature (verify or sign on the worker
// pool) continues in a promise. Each step checks the SA is still alive after
// one that may have waited.

export function respondIkeAuth(core: IkeCore, sa: IkeSa, payloads: readonly Payload[], _dg: Datagram): Reply | Promise<Reply> {
  const hs = sa.handshake;
  const idi = findPayload(payloads, PayloadType.IDi);
  const auth = findPayload(payloads, PayloadType.AUTH);
  if (hs === undefined || idi === undefined) return authFailed(core, sa, 'IKE_AUTH without IDi');
  if (auth === undefined) return authFailed(core, sa, 'IKE_AUTH without AUTH (EAP is not supported)');
  const peerId = identityFromPayload(idi);
  const profile = core.policy.profiles.find((p) => p.matches({ id: peerId, address: sa.remote.address }, sa.local.address));
  if (profile === undefined) return authFailed(core, sa, `no profile matches identity ${peerId.text}`);
  const verified = verifyPeerAuth(core, sa, profile, peerId, idBody(idi), auth, allPayloads(payloads, PayloadType.CERT));
  if (verified instanceof Promise) return verified.then((reason) => authenticateOurselves(core, sa, payloads, hs, profile, peerId, auth, reason));
  return authenticateOurselves(core, sa, payloads, hs, profile, peerId, auth, verified);
}

/** The peer's AUTH checked (`reason` undefined when valid): our own AUTH next. */
function authenticateOurselves(
  core: IkeCore,
  sa: IkeSa,
  payloads: readonly Payload[],
  hs: Handshake,
  profile: ProfilePolicy,
  peerId: Identity,
  auth: AuthPayload,
  reason: string | undefined,
): Reply | Promise<Reply> {
  if (sa.isDead()) return noReply;
  if (reason !== undefined) return authFailed(core, sa, reason, peerId.text);
  sa.profile = profile;
  sa.remoteId = peerId;
  sa.authRemote = auth.method;

  const localId = ownIdentity(core, profile, sa.local.address, addressIdentity);
  sa.localId = localId;
  let own;
  try {
    own = computeOwnAuth(core, sa, profile, idBody(localId));
  } catch (err) {
    return ownAuthFailed(core, sa, err, peerId);
  }
  if (own instanceof Promise) {
    return own.then(
      (o) => (sa.isDead() ? noReply : answerIkeAuth(core, sa, payloads, hs, profile, peerId, localId, o)),
      (err: unknown) => ownAuthFailed(core, sa, err, peerId),
    );
  }
  return answerIkeAuth(core, sa, payloads, hs, profile, peerId, localId, own);
}

function ownAuthFailed(core: IkeCore, sa: IkeSa, err: unknown, peerId: Identity): Reply {
  return authFailed(core, sa, `cannot authenticate ourselves: ${err instanceof Error ? err.message : String(err)}`, peerId.text);
}

const noReply: Reply = { payloads: [] };

/** Both AUTHs done: IDr, [CERT], AUTH, then a redirect (RFC 5685 §6) or CP and the first CHILD SA. */
function answerIkeAuth(
  core: IkeCore,
  sa: IkeSa,
  payloads: readonly Payload[],
  hs: Handshake,
  profile: ProfilePolicy,
  peerId: Identity,
  localId: Identity,
  own: OwnAuth,
): Reply {
  sa.authLocal = own.auth.method;
  const response: Payload[] = [idPayload(PayloadType.IDr, localId), ...own.certs, own.auth];

  // RFC 5685 §6: a redirect in IKE_AUTH comes only now, after the client's AUTH verified, and without a CHILD SA.
  if (hs.peerRedirectSupported && (profile.redirectOnAuth || false) && core.redirect.redirectOnAuth !== undefined) {
    const target = core.redirect.redirectOnAuth({ remote: peerId.text, remoteType: String(peerId.idType), local: localId.text }, { address: sa.remote.address, port: sa.remote.port });
    if (target !== undefined) {
      core.stats.redirectsSent++;
      core.log.info({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}`, id: peerId.text, target }, 'redirecting client in IKE_AUTH');
      response.push(redirectNotify(target));
      return {
        payloads: response,
        after: () => {
          // The client deletes the IKE SA itself (RFC 5685 §6); if it does not, we do.
          finishHandshake(core, sa);
          core.transition(sa, 'deleting');
          sa.deadline = core.now() + core.policy.halfOpenTimeoutMs;
          core.arm(sa);
        },
      };
    }
  }

  // CP (§2.19) before the CHILD SA: the leased address narrows TSi.
  let leased: string | undefined;
  let childFailure: Payload | undefined;
  const cp = findPayload(payloads, PayloadType.CP);
  if (cp !== undefined) {
    const answer = answerConfigRequest(cp, profile.cp);
    if (answer.failure !== undefined) childFailure = notify(answer.failure);
    else {
      leased = answer.leased;
      sa.leasedAddress = leased;
      if (answer.reply !== undefined) response.push(answer.reply);
    }
  }
  const offer = childOffer(payloads);
  let childToInstall: (() => void) | undefined;
  if (offer !== undefined && childFailure === undefined) {
    const n = negotiateChild(core, sa, profile, offer, true, leased);
    if (!n.ok) {
      childFailure = n.notify;
      core.log.info({ sa: sa.id, reason: n.reason }, 'no CHILD SA in IKE_AUTH');
    } else {
      const { id, spi } = core.allocateChildSpi();
      if (n.mode === 'transport') response.push(notify(NotifyType.USE_TRANSPORT_MODE));
      response.push({ type: PayloadType.SA, proposals: [answerProposal(n.choice, spi)] }, { type: PayloadType.TSi, selectors: n.tsi }, { type: PayloadType.TSr, selectors: n.tsr });
      const { ni, nr } = hs;
      childToInstall = () =>
        void installChild(
          core,
          sa,
          profile,
          { id, spiIn: spi, spiOut: n.choice.peerSpi, algorithms: n.choice.algorithms, mode: n.mode, localTs: n.tsr, remoteTs: n.tsi, ni, nr, shared: undefined, initiatedByUs: false },
          undefined,
        );
    }
  }
  if (childFailure !== undefined) response.push(childFailure);
  return {
    payloads: response,
    after: () => {
      establish(core, sa);
      childToInstall?.();
      finishHandshake(core, sa);
    },
  };
}

function authFailed(core: IkeCore, sa: IkeSa, reason: string, id?: string): Reply {
  core.stats.authFailures++;
  core.log.warn({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}`, id, reason }, 'peer authentication failed');
  // §2.21.2: the error goes back encrypted in the IKE_AUTH response, then the SA is deleted.
  return { payloads: [notify(NotifyType.AUTHENTICATION_FAILED)], after: () => core.destroy(sa, 'authentication failed') };
}

/** The IKE SA is up: lifetimes, DPD, counts, event (the core re-arms it after the message). */
function establish(core: IkeCore, sa: IkeSa): void {
  const now = core.now();
  core.transition(sa, 'established');
  core.table.forgetInitiator(sa);
  sa.establishedAt = now;
  sa.deadline = 0;
  const profile = sa.profile;
  if (profile !== undefined) {
    sa.rekeyAt = now + Math.round(profile.lifetimeMs * (0.8 + 0.1 * jitter(core)));
    sa.expireAt = now + profile.lifetimeMs;
    if (profile.dpd !== undefined) sa.dpdAt = now + profile.dpd.intervalMs;
  }
  core.stats.saEstablished++;
  // Guarded: building the line (hex SPIs, strings) costs microseconds per handshake even when info is off.
  if (core.log.isLevelEnabled('info')) core.log.info(
    {
      sa: sa.id,
      spiI: sa.spiI.toString('hex'),
      spiR: sa.spiR.toString('hex'),
      peer: `${sa.remote.address}:${sa.remote.port}`,
      local: `${sa.local.address}:${sa.local.port}`,
      remoteId: sa.remoteId?.text,
      localId: sa.localId?.text,
      auth: `${authMethodName(sa.authLocal)}/${authMethodName(sa.authRemote)}`,
      profile: sa.profile?.name,
    },
    'IKE SA established',
  );
  core.emit({ kind: 'established', sa });
  // No arm here: both callers run inside the core's handling of a message, which re-arms the SA
  // at its earliest deadline when done (one heap move instead of one per step).
}

/** Forgets everything only the handshake needed: nonces, DH, IKE_SA_INIT messages, SK_p. */
function finishHandshake(core: IkeCore, sa: IkeSa): void {
  wipeHandshake(sa.handshake);
  sa.handshake = undefined;
  sa.keys?.wipeAuthKeys();
  core.table.forgetInitiator(sa);
}

// ================================================================ initiator

export async function sendIkeAuthRequest(core: IkeCore, sa: IkeSa): Promise<void> {
  const hs = sa.handshake;
  const profile = sa.profile;
  if (hs === undefined || profile === undefined) return;
  const localId = ownIdentity(core, profile, sa.local.address, addressIdentity);
  sa.localId = localId;
  const body = idBody(localId);
  hs.idBody = body;
  let own;
  try {
    own = await computeOwnAuth(core, sa, profile, body);
  } catch (err) {
    const reason = `cannot authenticate ourselves: ${err instanceof Error ? err.message : String(err)}`;
    core.emit({ kind: 'failed', sa, reason, notify: undefined });
    core.destroy(sa, reason);
    return;
  }
  if (sa.state !== 'auth-sent') return;
  sa.authLocal = own.auth.method;
  const { id, spi } = core.allocateChildSpi();
  hs.childSpiIn = spi;
  hs.childProposals = espProposals(profile.child.proposals, spiBytes(spi));
  hs.childTsI = hs.cpRequested ? [...profile.child.localTs] : [hostSelector(sa.local.address)];
  hs.childTsR = [...profile.child.remoteTs];
  const payloads: Payload[] = [idPayload(PayloadType.IDi, localId), ...own.certs, notify(NotifyType.INITIAL_CONTACT)];
  if (profile.remoteAuth.includes('signature') && profile.trust !== undefined && profile.trust.caKeyHashes.length > 0) {
    payloads.push({ type: PayloadType.CERTREQ, encoding: 4, data: profile.trust.caKeyHashes });
  }
  payloads.push(own.auth);
  if (hs.cpRequested) payloads.push(configRequest());
  const transport = profile.child.proposals[0]?.mode === 'transport';
  if (transport) payloads.push(notify(NotifyType.USE_TRANSPORT_MODE));
  payloads.push({ type: PayloadType.SA, proposals: hs.childProposals }, { type: PayloadType.TSi, selectors: hs.childTsI }, { type: PayloadType.TSr, selectors: hs.childTsR });
  core.request(sa, ExchangeType.IKE_AUTH, payloads, {
    exchange: ExchangeType.IKE_AUTH,
    what: 'IKE_AUTH',
    onResponse: (response, dg) => handleIkeAuthResponse(core, sa, response, dg, id),
    onFailure: (reason) => {
      if (sa.state === 'auth-sent') {
        core.emit({ kind: 'failed', sa, reason, notify: undefined });
        core.destroy(sa, reason);
      }
    },
  });
}

async function handleIkeAuthResponse(core: IkeCore, sa: IkeSa, payloads: readonly Payload[], _dg: Datagram, childId: number): Promise<void> {
  const hs = sa.handshake;
  const profile = sa.profile;
  if (hs === undefined || profile === undefined) return;
  const idr = findPayload(payloads, PayloadType.IDr);
  const auth = findPayload(payloads, PayloadType.AUTH);
  if (idr === undefined || auth === undefined) {
    const error = errorNotify(payloads);
    const reason = error === undefined ? 'IKE_AUTH response without IDr/AUTH' : `responder refused: notify ${error.notifyType}`;
    core.log.warn({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}`, reason }, 'IKE_AUTH failed');
    if (error?.notifyType === NotifyType.AUTHENTICATION_FAILED) core.stats.authFailures++;
    core.releaseChildSpi(hs.childSpiIn);
    core.emit({ kind: 'failed', sa, reason, notify: error?.notifyType });
    core.destroy(sa, reason);
    return;
  }
  const peerId = identityFromPayload(idr);
  const matches = profile.matches({ id: peerId, address: sa.remote.address }, sa.local.address);
  const reason = matches ? await verifyPeerAuth(core, sa, profile, peerId, idBody(idr), auth, allPayloads(payloads, PayloadType.CERT)) : `responder identity ${peerId.text} does not match profile ${profile.name}`;
  if (sa.state !== 'auth-sent') return;
  if (reason !== undefined) {
    core.stats.authFailures++;
    core.log.warn({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}`, id: peerId.text, reason }, 'responder authentication failed');
    core.releaseChildSpi(hs.childSpiIn);
    core.emit({ kind: 'failed', sa, reason, notify: NotifyType.AUTHENTICATION_FAILED });
    // §2.21.2: the initiator may tell the responder in a separate INFORMATIONAL; then the SA goes.
    core.transition(sa, 'deleting');
    core.request(sa, ExchangeType.INFORMATIONAL, [notify(NotifyType.AUTHENTICATION_FAILED)], {
      exchange: ExchangeType.INFORMATIONAL,
      what: 'AUTHENTICATION_FAILED',
      onResponse: () => core.destroy(sa, 'responder authentication failed'),
      onFailure: () => core.destroy(sa, 'responder authentication failed'),
    });
    sa.deadline = core.now() + 5000;
    core.arm(sa);
    return;
  }
  sa.remoteId = peerId;
  sa.authRemote = auth.method;

  // RFC 5685 §6: the gateway authenticated; now a REDIRECT may be believed.
  const redirect = findNotify(payloads, NotifyType.REDIRECT);
  if (redirect !== undefined && core.policy.redirectClient) {
    const parsed = parseRedirectData(redirect.data);
    if (parsed !== undefined) {
      core.releaseChildSpi(hs.childSpiIn);
      core.stats.redirectsFollowed++;
      core.log.info({ sa: sa.id, from: sa.remote.address, target: parsed.target }, 'redirected in IKE_AUTH');
      core.emit({ kind: 'redirected', sa, target: parsed.target, where: 'auth', from: sa.remote });
      core.transition(sa, 'established');
      sa.establishedAt = core.now();
      finishHandshake(core, sa);
      core.closeSa(sa, 'redirected');
      return;
    }
  }

  const vip = readConfigReply(findPayload(payloads, PayloadType.CP));
  establish(core, sa);
  if (vip.address !== undefined) core.log.info({ sa: sa.id, address: vip.address, dns: vip.dns }, 'virtual address assigned');
  sa.virtualAddress = vip.address;

  const saPayload = findPayload(payloads, PayloadType.SA);
  const tsi = findPayload(payloads, PayloadType.TSi);
  const tsr = findPayload(payloads, PayloadType.TSr);
  const error = errorNotify(payloads);
  if (saPayload === undefined || tsi === undefined || tsr === undefined) {
    core.releaseChildSpi(hs.childSpiIn);
    core.log.warn({ sa: sa.id, notify: error?.notifyType }, 'IKE SA up without CHILD SA');
  } else {
    const accepted = acceptedFromOffer(hs.childProposals, saPayload.proposals);
    const algorithms = accepted === undefined ? undefined : childAlgorithmsOf(accepted);
    const tsOk = within(tsi.selectors, hs.childTsI) && within(tsr.selectors, hs.childTsR);
    if (accepted === undefined || algorithms === undefined || accepted.spi.length !== 4 || !tsOk) {
      core.releaseChildSpi(hs.childSpiIn);
      core.log.warn({ sa: sa.id }, 'responder chose a CHILD SA we did not offer; none installed');
    } else {
      const transport = findNotify(payloads, NotifyType.USE_TRANSPORT_MODE) !== undefined;
      installChild(
        core,
        sa,
        profile,
        {
          id: childId,
          spiIn: hs.childSpiIn,
          spiOut: accepted.spi.readUInt32BE(0),
          algorithms,
          mode: transport ? 'transport' : 'tunnel',
          localTs: tsi.selectors,
          remoteTs: tsr.selectors,
          ni: hs.ni,
          nr: hs.nr,
          shared: undefined,
          initiatedByUs: true,
        },
        undefined,
      );
    }
  }
  finishHandshake(core, sa);
}

/** Every selector the responder answered lies inside one we proposed (it may only narrow, §2.9). */
function within(answered: readonly TrafficSelector[], proposed: readonly TrafficSelector[]): boolean {
  return answered.length > 0 && answered.every((a) => proposed.some((p) => contains(p, a)));
}

export { sendDeleteIke };
