// INFORMATIONAL (RFC 7296 §1.4): liveness checks (an empty request, §2.4),
// Delete of the IKE SA or of CHILD SAs (§1.4.1, §3.11), error notifies
// after IKE_AUTH (§2.21.2), and RFC 5685 §5 redirects of an established SA.
import { ExchangeType, NotifyType, PayloadType, ProtocolId } from './constants';
import type { Datagram, IkeCore, Reply } from './core';
import { spiBytes } from './child-sa-setup';
import { adoptPeerRekey } from './create-child-sa';
import type { ChildSa, IkeSa } from './ike-sa';
import { allPayloads, findNotify, type Payload } from './payloads';
import { parseRedirectData, redirectNotify } from './redirect';
import type { RedirectTarget } from './redirect-provider';

export function respondInformational(core: IkeCore, sa: IkeSa, payloads: readonly Payload[], _dg: Datagram): Reply {
  const reply: Payload[] = [];
  for (const d of allPayloads(payloads, PayloadType.DELETE)) {
    if (d.protocol === ProtocolId.IKE) {
      // §1.4.1: deleting the IKE SA takes its CHILD SAs with it; the answer is empty.
      core.log.info({ sa: sa.id, peer: `${sa.remote.address}:${sa.remote.port}` }, 'peer deleted the IKE SA');
      return {
        payloads: [],
        after: () => {
          adoptPeerRekey(core, sa);
          core.destroy(sa, 'deleted by peer');
        },
      };
    }
    if (d.protocol !== ProtocolId.ESP && d.protocol !== ProtocolId.AH) continue;
    const ours: Buffer[] = [];
    for (const spi of d.spis) {
      if (spi.length !== 4) continue;
      // The peer names its inbound SPIs: our outbound ones.
      const child = sa.findChildByOutboundSpi(spi.readUInt32BE(0));
      if (child === undefined) continue; // unknown or already gone: nothing to do
      if (child.state === 'deleting') {
        // §1.4.1: both ends deleted it at once; the response must not list it again.
        core.removeChild(sa, child, 'deleted by both ends');
        continue;
      }
      ours.push(spiBytes(child.spiIn));
      core.removeChild(sa, child, 'deleted by peer');
    }
    if (ours.length > 0) reply.push({ type: PayloadType.DELETE, protocol: d.protocol, spis: ours });
  }
  let after: (() => void) | undefined;
  const redirect = findNotify(payloads, NotifyType.REDIRECT);
  if (redirect !== undefined && sa.initiator && core.policy.redirectClient) {
    const parsed = parseRedirectData(redirect.data);
    if (parsed !== undefined && parsed.nonce.length === 0) {
      // RFC 5685 §5: the client sets up the new SA first, then deletes this one (make before break).
      core.stats.redirectsFollowed++;
      core.log.info({ sa: sa.id, from: sa.remote.address, target: parsed.target }, 'redirected while established');
      after = () => core.emit({ kind: 'redirected', sa, target: parsed.target, where: 'informational', from: sa.remote });
    }
  }
  if (findNotify(payloads, NotifyType.AUTHENTICATION_FAILED) !== undefined) {
    // §2.21.2: the initiator rejected our AUTH after all.
    core.stats.authFailures++;
    after = () => core.destroy(sa, 'peer rejected our authentication');
  }
  return { payloads: reply, ...(after === undefined ? {} : { after }) };
}

/**
 * Deletes the IKE SA with an INFORMATIONAL Delete. `wait`: keep the SA until
 * answered (or the peer is declared dead); otherwise send once and forget
 * (shutdown).
 */
export function sendDeleteIke(core: IkeCore, sa: IkeSa, wait: boolean, reason = 'deleted'): void {
  const payloads: Payload[] = [{ type: PayloadType.DELETE, protocol: ProtocolId.IKE, spis: [] }];
  if (sa.ctxOut === undefined) {
    core.destroy(sa, reason);
    return;
  }
  if (!wait) {
    const id = sa.nextRequestId++;
    core.sendRaw(sa.local, sa.remote, core.protect(sa, ExchangeType.INFORMATIONAL, false, id, payloads));
    return;
  }
  for (const child of sa.children) child.state = 'deleting';
  core.transition(sa, 'deleting');
  sa.queue = undefined; // nothing else matters once the SA goes
  sa.rekeyAt = 0;
  sa.dpdAt = 0;
  const done = (): void => core.destroy(sa, reason);
  core.request(sa, ExchangeType.INFORMATIONAL, payloads, { exchange: ExchangeType.INFORMATIONAL, what: 'delete IKE SA', onResponse: done, onFailure: done });
}

/** Deletes CHILD SAs: Delete(ESP, our inbound SPIs); each is removed when the peer answers (§1.4.1). */
export function sendDeleteChildren(core: IkeCore, sa: IkeSa, children: readonly ChildSa[]): void {
  const live = children.filter((c) => c.state !== 'deleting' && sa.children.includes(c));
  if (live.length === 0) return;
  for (const c of live) {
    c.state = 'deleting';
    c.rekeyAt = 0;
    c.expireAt = 0;
    c.deleteAt = 0;
  }
  const done = (): void => {
    for (const c of live) core.removeChild(sa, c, 'deleted');
  };
  core.request(sa, ExchangeType.INFORMATIONAL, [{ type: PayloadType.DELETE, protocol: ProtocolId.ESP, spis: live.map((c) => spiBytes(c.spiIn)) }], {
    exchange: ExchangeType.INFORMATIONAL,
    what: 'delete CHILD SA',
    onResponse: done,
    onFailure: done,
  });
}

/** An empty INFORMATIONAL request: the peer must answer (liveness, §2.4). */
export function sendDpd(core: IkeCore, sa: IkeSa): void {
  core.request(sa, ExchangeType.INFORMATIONAL, [], { exchange: ExchangeType.INFORMATIONAL, what: 'liveness check', onResponse: () => undefined });
}

/** Gateway side of RFC 5685 §5: tell an established client to go elsewhere (no nonce). */
export function sendRedirectInformational(core: IkeCore, sa: IkeSa, target: RedirectTarget): void {
  core.stats.redirectsSent++;
  core.request(sa, ExchangeType.INFORMATIONAL, [redirectNotify(target)], { exchange: ExchangeType.INFORMATIONAL, what: 'redirect', onResponse: () => undefined });
}
