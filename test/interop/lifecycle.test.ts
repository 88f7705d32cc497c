// The life of an SA between strongSwan and `ikelb gateway`: rekeys of the
// IKE SA (RFC 7296 §2.18) and of the CHILD SA (§1.3.3) started by either
// side, liveness checks (§2.4) answered, and a Delete (§1.4.1) that makes
// the SA disappear from `show crypto ikev2 sa`.
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { gatewayPskConfig, shownSas, startIkelb, waitFor } from './ikelb-lab';

t.test('rekeys, DPD and Delete between strongSwan and ikelb', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayPskConfig());
  const charon = await startCharon(hosts.client, {
    swanctl: pskConnection({
      remoteAddrs: '192.0.2.2',
      localId: 'client.example.com',
      remoteId: 'gw.example.com',
      psk: 's3cret-psk',
      extra: { rekey_time: '6s', rand_time: '0s', over_time: '30s', dpd_delay: '1s' },
      childExtra: { rekey_time: '4s', rand_time: '0s', life_time: '60s' },
    }),
  });
  t.ok((await charon.initiate('net')).ok);
  const [first] = await shownSas(gw);
  if (first === undefined) throw new Error('no SA');

  await t.test('strongSwan rekeys the CHILD SA after its short lifetime; ikelb answers with new SPIs', async (t) => {
    await charon.waitForLog(/CHILD_SA net\{\d+\} state change: REKEYING => REKEYED|rekeyed CHILD_SA|outbound CHILD_SA net\{\d+\} established/, 15_000);
    const sa = await waitFor('a new CHILD SA on our side', async () => {
      const [s] = await shownSas(gw);
      return s !== undefined && s.children.length >= 1 && s.children.every((c) => c.spiIn !== first.children[0]?.spiIn) ? s : undefined;
    }, 15_000);
    t.equal(sa.children.length, 1, 'the old CHILD SA was deleted after the rekey');
  });

  await t.test('strongSwan rekeys the IKE SA; the CHILD SAs move to the new IKE SA', async (t) => {
    await charon.waitForLog(/IKE_SA ikelb\[\d+\] rekeyed between|rekeying IKE_SA/, 15_000);
    const sa = await waitFor('a new IKE SA', async () => {
      const list = await shownSas(gw);
      return list.length === 1 && list[0]?.spiI !== first.spiI && list[0]?.status === 'READY' ? list[0] : undefined;
    }, 15_000);
    t.equal(sa.children.length, 1, 'the CHILD SA moved to the new IKE SA');
    const [theirs] = await charon.listSas();
    t.equal(theirs?.initiatorSpi.toLowerCase(), sa.spiI.toLowerCase(), 'both ends agree on the new SPIs');
  });

  await t.test('ikelb rekeys the CHILD SA and the IKE SA itself (request crypto ikev2 rekey)', async (t) => {
    const [before] = await shownSas(gw);
    if (before === undefined) throw new Error('no SA');
    const mark = charon.mark();
    const childId = (before.children[0] as { id?: number } | undefined)?.id;
    await gw.command('request', 'crypto', 'ikev2', 'rekey', String(before.tunnelId), 'child', String(childId));
    // strongSwan as the responder of our CHILD SA rekey (RFC 7296 §1.3.3).
    await charon.waitForLog(/parsed CREATE_CHILD_SA request \d+ \[ N\(REKEY_SA\)/, 10_000, mark);
    const mark2 = charon.mark();
    await gw.command('request', 'crypto', 'ikev2', 'rekey', String(before.tunnelId));
    // ... and of our IKE SA rekey (§1.3.2): SA, Nonce, KE, no TS.
    await charon.waitForLog(/parsed CREATE_CHILD_SA request \d+ \[ SA No KE \]/, 10_000, mark2);
    const after = await waitFor('a new IKE SA started by ikelb', async () => {
      const list = await shownSas(gw);
      return list.length === 1 && list[0]?.tunnelId !== before.tunnelId && list[0]?.status === 'READY' ? list[0] : undefined;
    });
    t.ok(after.children.length >= 1, 'the CHILD SA moved to our new IKE SA');
    const [theirs] = await charon.listSas();
    t.equal(theirs?.state, 'ESTABLISHED');
    t.equal(theirs?.initiatorSpi.toLowerCase(), after.spiI.toLowerCase(), 'strongSwan uses the IKE SA we created');
    t.ok(theirs?.children.some((c) => c.state === 'INSTALLED'));
    const stats = (await gw.show('crypto', 'ikev2', 'stats')).data as { sent: Record<string, number> };
    t.ok((stats.sent['CREATE_CHILD_SA request'] ?? 0) >= 2, 'we sent both rekey requests');
  });

  await t.test('strongSwan liveness checks are answered', async (t) => {
    const mark = charon.mark();
    await charon.waitForLog(/sending DPD request/, 15_000, mark);
    await charon.waitForLog(/parsed INFORMATIONAL response \d+ \[ \]/, 5000, mark);
    const [theirs] = await charon.listSas();
    t.equal(theirs?.state, 'ESTABLISHED');
  });

  await t.test('a Delete from strongSwan removes the SA from show crypto ikev2 sa', async (t) => {
    await charon.terminate({ ike: 'ikelb' });
    await waitFor('no SA left', async () => ((await shownSas(gw)).length === 0 ? true : undefined));
    const summary = await gw.show('crypto', 'ikev2', 'sa', 'summary');
    t.match(summary.text, /IKEv2 SAs: 0 total/);
  });
});
