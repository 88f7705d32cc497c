// Hostile input against a live `ikelb gateway` while strongSwan holds an
// established SA through it. An attacker process in a third namespace sets
// up its own SA (to have keys) and sends one class of bad datagram at a time.
// Each is dropped or answered as RFC 7296 says, counted, and the strongSwan
// SA keeps working: its liveness checks are still answered.
import t from 'tap';
import { lan } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { gatewayPskConfig, shownSas, startIkelb } from './ikelb-lab';

interface CaseResult {
  readonly answers: readonly { readonly exchange: number; readonly response: boolean; readonly notifies?: readonly number[] }[];
}

const NO_PROPOSAL_CHOSEN = 14;
const INVALID_SYNTAX = 7;

t.test('bad input is dropped or answered per RFC 7296, counted, and never disturbs an established strongSwan SA', async (t) => {
  const { hosts } = await lan(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'], mallory: ['192.0.2.66/24'] });
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayPskConfig());
  const charon = await startCharon(hosts.client, {
    swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk: 's3cret-psk', extra: { dpd_delay: '1s' } }),
  });
  t.ok((await charon.initiate('net')).ok);
  const before = (await gw.show('crypto', 'ikev2', 'stats')).data as { drops: Record<string, number>; retransmitsAnswered: number; notifiesSent: Record<string, number> };

  const run = await hosts.mallory.execNode('test/interop/fixtures/ike-attacker.ts', ['192.0.2.2', '192.0.2.66', 's3cret-psk'], { timeoutMs: 60_000 });
  t.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { cases: Record<string, CaseResult>; replayed: boolean };
  const c = (name: string): CaseResult => report.cases[name] as CaseResult;
  const after = (await gw.show('crypto', 'ikev2', 'stats')).data as typeof before;
  const delta = (reason: string): number => (after.drops[reason] ?? 0) - (before.drops[reason] ?? 0);

  t.same(c('unknown-spi').answers, [], 'unknown SPI: no answer (RFC 7296 §2.21.4 lets us stay silent)');
  t.equal(delta('unknown-spi'), 2, 'counted (with the IKE_AUTH for an SA that never existed)');
  t.same(c('message-id-window').answers, [], 'message ID outside the window: dropped (RFC 7296 §2.3)');
  t.ok(delta('message-id-window') >= 1, 'counted');
  t.same(c('not-allowed').answers.map((a) => a.notifies), [[INVALID_SYNTAX]], 'KE in INFORMATIONAL: an encrypted INVALID_SYNTAX answer (RFC 7296 §3.10.1)');
  t.equal(delta('not-allowed-in-exchange'), 1, 'counted');
  t.same(c('icv').answers, [], 'corrupted ICV: silently discarded (RFC 7296 §3.14)');
  t.equal(delta('icv'), 1, 'counted');
  t.equal(c('dpd-after-icv').answers.length, 1, 'the attacked SA still answers its own liveness check');
  t.same(c('auth-before-init').answers, [], 'IKE_AUTH before IKE_SA_INIT finished: dropped');
  t.same(c('child-before-auth').answers, [], 'CREATE_CHILD_SA on a half-open SA: dropped (RFC 7296 §1.2: IKE_AUTH comes first)');
  t.equal(delta('exchange-out-of-order'), 1, 'counted');
  t.equal(c('replayed-ike-auth').answers.length, 1, 'replayed IKE_AUTH (still the last request): answered once');
  t.ok(report.replayed, 'with the cached response, byte for byte (RFC 7296 §2.1), not processed again');
  t.equal(after.retransmitsAnswered - before.retransmitsAnswered, 1);
  for (const name of ['zero-ke-x25519', 'out-of-range-ke-ecp256', 'out-of-range-ke-modp2048', 'one-ke-modp2048']) {
    t.same(c(name).answers.map((a) => a.notifies), [[NO_PROPOSAL_CHOSEN]], `${name}: refused without state (RFC 7296 §5, RFC 6989 §2)`);
  }
  t.equal(delta('invalid-ke'), 4, 'each invalid KE counted');

  const sas = await shownSas(gw);
  t.equal(sas.filter((s) => s.remote === '192.0.2.1' && s.status === 'READY').length, 1, 'the strongSwan SA is still READY');
  t.equal(sas.filter((s) => s.remote === '192.0.2.66' && s.status === 'READY').length, 1, 'the attacker SA was not processed twice');
  const mark = charon.mark();
  await charon.waitForLog(/sending DPD request/, 10_000, mark);
  await charon.waitForLog(/parsed INFORMATIONAL response \d+ \[ \]/, 5000, mark);
  const [theirs] = await charon.listSas();
  t.equal(theirs?.state, 'ESTABLISHED', 'strongSwan DPD still answered after the attacks');
});
