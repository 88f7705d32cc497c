// The sans-I/O core in virtual time, our initiator against our responder:
// retransmission with back-off and answers from the response cache
// (RFC 7296 §2.1), the half-open timeout, rekeys of CHILD and IKE SAs
// including simultaneous ones (§2.8.1, §2.8.2), DPD (§2.4) and Delete.
import t from 'tap';
import { AddressPool } from '../../lib/ike/address-pool';
import { ExchangeType } from '../../lib/ike/constants';
import type { IkeSa } from '../../lib/ike/ike-sa';
import { clientIdentity, gatewayIdentity, policy, profile, VirtualNet, type Node } from './harness';

const gw = { address: '192.0.2.1', port: 500 };
const cl = { address: '198.51.100.7', port: 500 };

async function established(o: { gwProfile?: Parameters<typeof profile>[0]; clProfile?: Parameters<typeof profile>[0] } = {}): Promise<{ net: VirtualNet; gateway: Node; client: Node; csa: IkeSa; gsa: IkeSa }> {
  const net = new VirtualNet();
  const gateway = net.add('gw', gw.address, policy({ profiles: [profile({ localId: gatewayIdentity(), ...o.gwProfile })] }));
  const client = net.add('client', cl.address, policy({ profiles: [profile({ localId: clientIdentity(), ...o.clProfile })] }));
  const csa = client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  const gsa = [...gateway.core.table.values()][0];
  if (csa.state !== 'established' || gsa === undefined) throw new Error('setup failed');
  return { net, gateway, client, csa, gsa };
}

function exchangeOf(data: Buffer): number {
  return data[18] as number;
}

t.test('a lost response is recovered: the initiator retransmits and the responder answers from its cache without processing twice', async (t) => {
  const net = new VirtualNet();
  const gateway = net.add('gw', gw.address, policy({ profiles: [profile({ localId: gatewayIdentity() })] }));
  const client = net.add('client', cl.address, policy({ profiles: [profile({ localId: clientIdentity() })] }));
  let dropped = 0;
  // Lose the first IKE_AUTH response.
  net.lose = (dg) => dg.local.address === gw.address && exchangeOf(dg.data) === ExchangeType.IKE_AUTH && dropped++ === 0;
  const sa = client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(sa.state, 'auth-sent');
  await net.advance(1100);
  t.equal(sa.state, 'established', 'the retransmitted IKE_AUTH got the cached response');
  t.equal(client.core.stats.retransmitsSent, 1);
  t.equal(gateway.core.stats.retransmitsAnswered, 1);
  t.equal(gateway.core.stats.saEstablished, 1, 'the gateway established the SA once');
  t.equal([...gateway.core.table.values()][0]?.children.length, 1, 'and created one CHILD SA, not two');
});

t.test('retransmissions back off exponentially and then the peer is declared dead', async (t) => {
  const { net, client, csa } = await established();
  net.lose = () => true; // the gateway vanished
  const sent = (): number => net.log.filter((d) => d.local.address === cl.address).length;
  const before = sent();
  client.core.checkLiveness(csa.id);
  await net.settle();
  t.equal(sent() - before, 1);
  await net.advance(999);
  t.equal(sent() - before, 1, 'nothing before the first timeout (1 s)');
  await net.advance(1);
  t.equal(sent() - before, 2, 'first retransmission at 1 s');
  await net.advance(1999);
  t.equal(sent() - before, 2);
  await net.advance(1);
  t.equal(sent() - before, 3, 'second after 2 s more (base 2)');
  await net.advance(3999);
  t.equal(sent() - before, 3);
  await net.advance(1);
  t.equal(sent() - before, 4, 'third after 4 s more (the last of 3 tries)');
  await net.advance(7999);
  t.equal(csa.state, 'established', 'still waiting for an answer to the last one');
  await net.advance(1);
  t.equal(sent() - before, 4, 'no fourth retransmission');
  t.equal(csa.state, 'dead', 'after the last wait the SA is deleted');
  t.ok(client.events.some((e) => e.kind === 'deleted' && e.reason === 'peer not responding'));
});

t.test('a half-open SA whose initiator never sends IKE_AUTH expires after the half-open timeout', async (t) => {
  const net = new VirtualNet();
  const gateway = net.add('gw', gw.address, policy({ profiles: [profile({ localId: gatewayIdentity() })] }));
  const client = net.add('client', cl.address, policy({ profiles: [profile({ localId: clientIdentity() })] }));
  net.lose = (dg) => exchangeOf(dg.data) === ExchangeType.IKE_AUTH;
  client.core.initiate({ profile: client.core.policy.profiles[0] as never, remote: gw, local: cl });
  await net.settle();
  t.equal(gateway.core.table.halfOpenCount, 1);
  await net.advance(29_000, 1000);
  t.equal(gateway.core.table.halfOpenCount, 1, 'still there before 30 s');
  await net.advance(1000, 1000);
  t.equal(gateway.core.table.size, 0, 'gone at 30 s');
  t.equal(gateway.core.stats.halfOpenExpired, 1);
});

t.test('CHILD SA rekey started by the initiator: new SPIs on both ends, old SA deleted', async (t) => {
  const { net, gsa, csa, client } = await established();
  const old = csa.children[0];
  if (old === undefined) throw new Error('no child');
  client.core.rekey(csa.id, old.id);
  await net.settle();
  t.equal(csa.children.length, 1);
  t.equal(gsa.children.length, 1);
  t.not(csa.children[0]?.spiIn, old.spiIn);
  t.equal(csa.children[0]?.spiIn, gsa.children[0]?.spiOut);
  t.ok(csa.children[0]?.keymat.equals(gsa.children[0]?.keymat as Buffer));
});

t.test('CHILD SA rekey with PFS runs a DH exchange in CREATE_CHILD_SA', async (t) => {
  const { net, gsa, csa, client } = await established({ gwProfile: { pfs: 19 }, clProfile: { pfs: 19 } });
  client.core.rekey(csa.id, csa.children[0]?.id);
  await net.settle();
  t.equal(csa.children[0]?.algorithms.group, 19);
  t.ok(csa.children[0]?.keymat.equals(gsa.children[0]?.keymat as Buffer));
});

t.test('both ends rekey the same CHILD SA at once: one redundant SA is deleted by its creator, one SA remains (RFC 7296 §2.8.1)', async (t) => {
  const { net, gsa, csa, client, gateway } = await established();
  client.core.rekey(csa.id, csa.children[0]?.id);
  gateway.core.rekey(gsa.id, gsa.children[0]?.id);
  await net.settle();
  await net.advance(1000);
  t.equal(csa.children.length, 1, 'client keeps one CHILD SA');
  t.equal(gsa.children.length, 1, 'gateway keeps one CHILD SA');
  t.equal(csa.children[0]?.spiIn, gsa.children[0]?.spiOut, 'the same one');
  t.equal(csa.children[0]?.state, 'installed');
});

t.test('IKE SA rekey: a new IKE SA with new SPIs takes over the CHILD SA; the old one is deleted', async (t) => {
  const { net, gsa, csa, client, gateway } = await established();
  client.core.rekey(csa.id);
  await net.settle();
  const cNew = [...client.core.table.values()];
  const gNew = [...gateway.core.table.values()];
  t.equal(cNew.length, 1);
  t.equal(gNew.length, 1);
  t.not(cNew[0]?.id, csa.id, 'a new tunnel');
  t.equal(cNew[0]?.spiI.toString('hex'), gNew[0]?.spiI.toString('hex'));
  t.equal(cNew[0]?.children.length, 1, 'the CHILD SA moved');
  t.equal(gNew[0]?.children.length, 1);
  t.equal(csa.state, 'dead');
  t.equal(gsa.state, 'dead');
  t.equal(gateway.core.table.sessionCount, 1, 'still one session');
  // The new SA works: a liveness check goes through.
  const id = cNew[0]?.id as number;
  client.core.checkLiveness(id);
  await net.settle();
  t.equal(cNew[0]?.outstanding, undefined);
});

t.test('both ends rekey the IKE SA at once: exactly one new IKE SA survives on both sides (RFC 7296 §2.8.2)', async (t) => {
  const { net, gsa, csa, client, gateway } = await established();
  client.core.rekey(csa.id);
  gateway.core.rekey(gsa.id);
  await net.settle();
  await net.advance(31_000, 1000);
  const c = [...client.core.table.values()].filter((s) => s.state === 'established');
  const g = [...gateway.core.table.values()].filter((s) => s.state === 'established');
  t.equal(c.length, 1, 'one IKE SA on the client');
  t.equal(g.length, 1, 'one IKE SA on the gateway');
  t.equal(c[0]?.spiI.toString('hex'), g[0]?.spiI.toString('hex'), 'the same one');
  t.equal(c[0]?.children.length, 1);
  t.equal(g[0]?.children.length, 1);
  t.equal(client.core.table.size, 1, 'nothing left over');
  t.equal(gateway.core.table.size, 1);
});

t.test('DPD: an idle gateway checks liveness, a silent client is declared dead', async (t) => {
  const { net, gsa, gateway } = await established({ gwProfile: { dpdMs: 10_000 } });
  const informational = (): number => net.log.filter((d) => d.local.address === gw.address && exchangeOf(d.data) === ExchangeType.INFORMATIONAL).length;
  await net.advance(10_000, 500);
  t.equal(informational(), 1, 'one liveness check after 10 s of silence');
  t.equal(gsa.state, 'established', 'answered');
  net.lose = (dg) => dg.local.address === cl.address;
  await net.advance(10_000 + 1000 + 2000 + 4000 + 8000 + 500, 500);
  t.equal(gsa.state, 'dead');
  t.equal(gateway.core.stats.deadPeers, 1);
});

t.test('a Delete of the IKE SA from the client removes it on both sides and gives the address back to the pool', async (t) => {
  const pool = new AddressPool('p', [{ start: '203.0.113.1', end: '203.0.113.1' }]);
  const { net, gsa, csa, client, gateway } = await established({ gwProfile: { pool } });
  t.equal(pool.inUse, 1);
  client.core.deleteSa(csa.id);
  await net.settle();
  t.equal(gsa.state, 'dead');
  t.equal(csa.state, 'dead');
  t.equal(gateway.core.table.size, 0);
  t.equal(pool.inUse, 0, 'the lease is released');
});
