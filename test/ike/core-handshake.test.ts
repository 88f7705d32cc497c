// Our own initiator against our own responder, in-process, virtual time:
// the state machines of IKE_SA_INIT + IKE_AUTH (RFC 7296 §1.2) end to end.
import t from 'tap';
import { AddressPool } from '../../lib/ike/address-pool';
import { NotifyType } from '../../lib/ike/constants';
import { clientIdentity, gatewayIdentity, policy, profile, VirtualNet } from './harness';

const gw = { address: '192.0.2.1', port: 500 };
const cl = { address: '198.51.100.7', port: 500 };

function pair(options: { gwProfile?: Parameters<typeof profile>[0]; clProfile?: Parameters<typeof profile>[0]; gwPolicy?: Partial<Parameters<typeof policy>[0]>; clPolicy?: Partial<Parameters<typeof policy>[0]> } = {}) {
  const net = new VirtualNet();
  const gateway = net.add('gw', gw.address, policy({ profiles: [profile({ localId: gatewayIdentity(), ...options.gwProfile })], ...options.gwPolicy }));
  const client = net.add('client', cl.address, policy({ profiles: [profile({ localId: clientIdentity(), acceptRemote: 'gw.example.com', ...options.clProfile })], ...options.clPolicy }));
  return { net, gateway, client };
}

t.test('a PSK client establishes an IKE SA and a CHILD SA with the gateway', async (t) => {
  const { net, gateway, client } = pair({ gwProfile: { pool: new AddressPool('p', [{ start: '203.0.113.10', end: '203.0.113.20' }]) } });
  const sa = client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(sa.state, 'established', 'client side established');
  const [gsa] = [...gateway.core.table.values()];
  t.equal(gsa?.state, 'established', 'gateway side established');
  t.equal(gateway.core.table.sessionCount, 1, 'the session counts as crypto load');
  t.equal(gateway.core.table.halfOpenCount, 0);
  t.equal(sa.children.length, 1);
  t.equal(gsa?.children.length, 1);
  t.equal(sa.children[0]?.spiIn, gsa?.children[0]?.spiOut, 'ESP SPIs pair up');
  t.equal(sa.children[0]?.keymat.equals(gsa?.children[0]?.keymat as Buffer), true, 'both ends derived the same KEYMAT');
  t.equal(sa.virtualAddress, '203.0.113.10', 'the client got an address from the ip local pool');
  t.equal(gsa?.remoteId?.text, 'client.example.com');
  t.equal(sa.remoteId?.text, 'gw.example.com');
  t.ok(gateway.events.some((e) => e.kind === 'established'));
  t.equal(sa.handshake, undefined, 'handshake secrets are dropped once established');
});

t.test('a wrong PSK is refused with AUTHENTICATION_FAILED and no SA is left on either side', async (t) => {
  const { net, gateway, client } = pair({ clProfile: { psk: 'wrong-psk', remotePsk: 's3cret-psk' } });
  client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(gateway.core.table.size, 0, 'gateway deleted the half-open SA');
  t.equal(client.core.table.size, 0, 'client gave up');
  const failed = client.events.find((e) => e.kind === 'failed');
  t.equal(failed?.kind === 'failed' ? failed.notify : undefined, NotifyType.AUTHENTICATION_FAILED);
  t.equal(gateway.core.stats.authFailures, 1);
  t.equal(gateway.core.stats.notifiesSent.get(NotifyType.AUTHENTICATION_FAILED), 1);
});

t.test('no common proposal is NO_PROPOSAL_CHOSEN and the gateway keeps no state', async (t) => {
  const { net, gateway, client } = pair({ gwPolicy: { proposals: [{ name: 'cbc', encryption: [{ id: 12, keyLength: 256 }], integrity: [12], prf: [5], groups: [19] }] } });
  client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(gateway.core.table.size, 0);
  const failed = client.events.find((e) => e.kind === 'failed');
  t.equal(failed?.kind === 'failed' ? failed.notify : undefined, NotifyType.NO_PROPOSAL_CHOSEN);
});

t.test('the responder asks for its DH group with INVALID_KE_PAYLOAD and the initiator retries with it', async (t) => {
  const { net, gateway, client } = pair({
    gwPolicy: { proposals: [{ name: 'p', encryption: [{ id: 20, keyLength: 256 }], integrity: [], prf: [5], groups: [19] }] },
    clPolicy: { proposals: [{ name: 'p', encryption: [{ id: 20, keyLength: 256 }], integrity: [], prf: [5], groups: [31, 19] }] },
  });
  const sa = client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(sa.state, 'established');
  t.equal(sa.algorithms?.group, 19);
  t.equal(gateway.core.stats.notifiesSent.get(NotifyType.INVALID_KE_PAYLOAD), 1);
});

t.test('with the cookie threshold at 0 the initiator is challenged, retries with the cookie and gets in', async (t) => {
  const { net, gateway, client } = pair({ gwPolicy: { cookieThreshold: 0 } });
  const sa = client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(sa.state, 'established');
  t.equal(gateway.core.stats.cookiesSent, 1);
});
