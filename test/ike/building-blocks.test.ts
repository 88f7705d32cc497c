// The pure building blocks of the IKE core: schedule, SA table, proposal
// choice, traffic selector narrowing, address pool, payload rules, redirect
// data and the client's loop guard. No sockets, no crypto.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { AddressPool } from '../../lib/ike/address-pool';
import { ExchangeType, NotifyType, PayloadType, ProtocolId, TransformType } from '../../lib/ike/constants';
import { checkPayloads, rulesFor, violationText } from '../../lib/ike/exchange-rules';
import { IkeSa } from '../../lib/ike/ike-sa';
import { chooseEsp, chooseIke, espProposals, ikeProposals } from '../../lib/ike/proposals';
import { parseRedirectData, redirectNotify } from '../../lib/ike/redirect';
import { RedirectLoopGuard } from '../../lib/ike/redirect-loop-guard';
import { SaTable } from '../../lib/ike/sa-table';
import { Schedule } from '../../lib/ike/schedule';
import { SpiIndex } from '../../lib/ike/spi-index';
import { anyIpv4, hostSelector, narrow, selectorCidr, subnetSelector } from '../../lib/ike/traffic-selectors';

const gcm256 = { name: 'p', encryption: [{ id: 20, keyLength: 256 }], integrity: [], prf: [5], groups: [31, 19, 14] };
const cbc = { name: 'c', encryption: [{ id: 12, keyLength: 128 }], integrity: [12], prf: [5], groups: [14] };
const all = (): boolean => true;

t.test('the schedule wakes each item once at its latest armed time, and a cancelled item leaves it', async (t) => {
  const s = new Schedule<{ wakeAt: number; heapIndex: number; name: string }>();
  const a = { wakeAt: 0, heapIndex: -1, name: 'a' };
  const b = { wakeAt: 0, heapIndex: -1, name: 'b' };
  s.arm(a, 100);
  s.arm(b, 50);
  s.arm(a, 30); // earlier
  s.arm(b, 500); // later
  t.equal(s.size, 2, 'one entry per item');
  t.equal(s.popDue(29), undefined);
  t.equal(s.popDue(30)?.name, 'a');
  t.equal(s.popDue(100), undefined, 'a woke once; b moved to 500');
  t.equal(s.popDue(499), undefined);
  t.equal(s.popDue(500)?.name, 'b');
  s.arm(a, 600);
  s.cancel(a);
  t.equal(s.size, 0, 'a cancelled item is out of the heap (nothing keeps a deleted SA alive)');
  t.equal(s.popDue(10_000), undefined, 'and never wakes');
});

t.test('the schedule keeps 100,000 items in order', async (t) => {
  const s = new Schedule<{ wakeAt: number; heapIndex: number; n: number }>();
  const items = Array.from({ length: 100_000 }, (_, n) => ({ wakeAt: 0, heapIndex: -1, n }));
  for (const it of items) s.arm(it, 1 + ((it.n * 7919) % 100_000));
  // Re-arm some later, some earlier, cancel every tenth: order must hold.
  for (const it of items) if (it.n % 3 === 0) s.arm(it, 1 + ((it.n * 7919) % 100_000));
  for (const it of items) if (it.n % 10 === 0) s.cancel(it);
  let last = 0;
  let count = 0;
  for (let it = s.popDue(1e9); it !== undefined; it = s.popDue(1e9)) {
    const at = 1 + ((it.n * 7919) % 100_000);
    if (at < last) t.fail(`out of order at ${count}`);
    last = at;
    count++;
  }
  t.equal(count, 90_000);
});

t.test('the SA table finds SAs by their SPI and counts sessions and half-open SAs', async (t) => {
  const table = new SaTable();
  const random = (n: number): Buffer => randomBytes(n);
  const local = { address: '192.0.2.1', port: 500 };
  const remote = { address: '192.0.2.2', port: 500 };
  const sas: IkeSa[] = [];
  for (let i = 0; i < 1000; i++) {
    const sa = new IkeSa(table.allocateId(), false, table.allocateSpi(random), Buffer.alloc(8, 1), local, remote, 0);
    table.add(sa);
    sas.push(sa);
  }
  t.equal(table.size, 1000);
  t.equal(table.halfOpenCount, 1000);
  t.equal(table.sessionCount, 0);
  for (const sa of sas.slice(0, 600)) table.setState(sa, 'established');
  t.equal(table.halfOpenCount, 400);
  t.equal(table.sessionCount, 600);
  const probe = sas[123] as IkeSa;
  t.equal(table.get(probe.localSpi), probe);
  const wrong = Buffer.from(probe.localSpi);
  wrong[0] = (wrong[0] as number) ^ 0xff;
  t.equal(table.get(wrong), undefined, 'an SPI that shares the key octets but differs elsewhere is not found');
  table.remove(probe);
  t.equal(table.get(probe.localSpi), undefined);
  t.equal(table.sessionCount, 599);
  t.equal(table.getById(probe.id), undefined);
});

t.test('IKE proposals are chosen in our configured order, keeping an acceptable KE group', async (t) => {
  const theirs = ikeProposals([cbc, gcm256]);
  const choice = chooseIke([gcm256, cbc], theirs, 19, all);
  t.ok(choice);
  t.same(choice?.algorithms, { encr: 20, keyLength: 256, integ: 0, prf: 5, group: 19 }, 'our first proposal wins; KE group 19 is acceptable');
  t.equal(choice?.wantGroup, undefined);
  t.equal(choice?.proposal.number, 2, 'answered with the peer proposal number');
  t.equal(choice?.proposal.transforms.filter((tr) => tr.type === TransformType.DH).length, 1, 'one DH transform in the answer');
});

t.test('a KE in a group we do not take asks for our preferred group (INVALID_KE_PAYLOAD)', async (t) => {
  const theirs = ikeProposals([{ ...gcm256, groups: [31, 14] }]);
  const choice = chooseIke([{ ...gcm256, groups: [14] }], theirs, 31, all);
  t.equal(choice?.wantGroup, 14);
});

t.test('no common transform is NO_PROPOSAL_CHOSEN; unknown transform types and GCM with integrity are skipped', async (t) => {
  t.equal(chooseIke([gcm256], ikeProposals([cbc]), 14, all), undefined);
  const withUnknown = ikeProposals([gcm256]).map((p) => ({ ...p, transforms: [...p.transforms, { type: 99, id: 1 }] }));
  t.equal(chooseIke([gcm256], withUnknown, 31, all), undefined);
  const gcmWithInteg = ikeProposals([{ ...gcm256, integrity: [12] }]);
  t.equal(chooseIke([gcm256], gcmWithInteg, 31, all), undefined);
});

t.test('ESP proposals: transform sets in order, no DH in IKE_AUTH, PFS enforced in CREATE_CHILD_SA', async (t) => {
  const gcm = { name: 'g', encryption: { id: 20, keyLength: 256 }, integrity: undefined, mode: 'tunnel' as const };
  const aes = { name: 'a', encryption: { id: 12, keyLength: 128 }, integrity: 12, mode: 'tunnel' as const };
  const spi = Buffer.from([1, 2, 3, 4]);
  const theirs = espProposals([aes, gcm], spi, 31);
  const auth = chooseEsp([gcm, aes], theirs, [], 0, true);
  t.equal(auth?.policy.name, 'g');
  t.equal(auth?.algorithms.group, 0);
  t.equal(auth?.peerSpi, 0x01020304);
  t.notOk(auth?.proposal.transforms.some((tr) => tr.type === TransformType.DH));
  const pfs = chooseEsp([gcm], theirs, [14], 31);
  t.equal(pfs, undefined, 'we require group 14, the peer offers only 31');
  const want = chooseEsp([gcm], espProposals([gcm], spi, 31).map((p) => ({ ...p, transforms: [...p.transforms, { type: TransformType.DH, id: 14 }] })), [14], 31);
  t.equal(want?.wantGroup, 14);
});

t.test('traffic selectors are narrowed to what both sides allow (RFC 7296 §2.9)', async (t) => {
  const proposed = [anyIpv4];
  t.same(narrow(proposed, [hostSelector('198.51.100.7')]).map(selectorCidr), ['198.51.100.7/32']);
  t.same(narrow([subnetSelector('198.51.100.0', 24)], [subnetSelector('198.51.100.128', 25)]).map(selectorCidr), ['198.51.100.128/25']);
  t.same(narrow([subnetSelector('198.51.100.0', 24)], [subnetSelector('203.0.113.0', 24)]), [], 'disjoint: TS_UNACCEPTABLE');
  const tcp = { ...subnetSelector('192.0.2.0', 24), protocol: 6, startPort: 443, endPort: 443 };
  t.same(narrow([anyIpv4], [tcp]).map(selectorCidr), ['192.0.2.0/24[6/443]']);
  t.same(narrow([anyIpv4, subnetSelector('192.0.2.0', 24)], [anyIpv4]).map(selectorCidr), ['0.0.0.0/0'], 'covered results are not repeated');
});

t.test('the address pool hands out each address once, takes them back, and honours a requested address', async (t) => {
  const pool = new AddressPool('clients', [{ start: '198.51.100.10', end: '198.51.100.12' }, { start: '203.0.113.1', end: '203.0.113.1' }]);
  t.equal(pool.size, 4);
  const got = [pool.allocate(), pool.allocate(), pool.allocate(), pool.allocate()];
  t.same(got, ['198.51.100.10', '198.51.100.11', '198.51.100.12', '203.0.113.1']);
  t.equal(pool.allocate(), undefined, 'exhausted');
  pool.release('198.51.100.11');
  pool.release('198.51.100.11');
  t.equal(pool.inUse, 3, 'a double release is harmless');
  t.equal(pool.allocate('198.51.100.11'), '198.51.100.11');
  pool.release('203.0.113.1');
  t.equal(pool.allocate('192.0.2.99'), '203.0.113.1', 'an address outside the pool is not given; the next free one is');
});

t.test('payloads not allowed in an exchange are named before any exchange logic runs', async (t) => {
  const P = PayloadType;
  const info = rulesFor(ExchangeType.INFORMATIONAL, false);
  t.ok(info);
  if (info === undefined) return;
  const v = checkPayloads(info, [P.KE]);
  t.same(v, { kind: 'not-allowed', payloadType: P.KE });
  t.equal(violationText(v as never, ExchangeType.INFORMATIONAL, false), 'KE is not allowed in an INFORMATIONAL request');
  t.equal(checkPayloads(info, []), undefined, 'an empty INFORMATIONAL is a liveness check');
  const init = rulesFor(ExchangeType.IKE_SA_INIT, false);
  if (init === undefined) return;
  t.same(checkPayloads(init, [P.SA, P.KE]), { kind: 'missing', payloadType: P.NONCE });
  t.same(checkPayloads(init, [P.SA, P.KE, P.NONCE, P.NONCE]), { kind: 'too-many', payloadType: P.NONCE, max: 1 });
  const initResponse = rulesFor(ExchangeType.IKE_SA_INIT, true);
  if (initResponse === undefined) return;
  t.equal(checkPayloads(initResponse, [P.NOTIFY]), undefined, 'a notify-only IKE_SA_INIT response (COOKIE, errors) is allowed');
  t.equal(rulesFor(ExchangeType.IKE_SESSION_RESUME, false), undefined);
});

t.test('REDIRECT data round-trips for IPv4, IPv6 and FQDN gateways, with the nonce only when given', async (t) => {
  const nonce = Buffer.alloc(32, 7);
  const v4 = parseRedirectData(redirectNotify({ type: 'ipv4', address: '192.0.2.12' }, nonce).data);
  t.same(v4?.target, { type: 'ipv4', address: '192.0.2.12' });
  t.ok(v4?.nonce.equals(nonce));
  const v6 = parseRedirectData(redirectNotify({ type: 'ipv6', address: '2001:db8::12' }).data);
  t.same(v6?.target, { type: 'ipv6', address: '2001:db8::12' });
  t.equal(v6?.nonce.length, 0);
  const fqdn = redirectNotify({ type: 'fqdn', name: 'gw2.example.com' });
  t.equal(fqdn.notifyType, NotifyType.REDIRECT);
  t.same(parseRedirectData(fqdn.data)?.target, { type: 'fqdn', name: 'gw2.example.com' });
  t.equal(parseRedirectData(Buffer.from([1, 5, 192, 0, 2, 1])), undefined, 'an IPv4 identity must be 4 octets');
  t.throws(() => redirectNotify({ type: 'fqdn', name: 'x'.repeat(256) }), /1-255 octets/);
  t.equal(ProtocolId.IKE, 1);
});

t.test('the client follows at most max-redirects redirects within 300 s', async (t) => {
  const guard = new RedirectLoopGuard(5);
  for (let i = 0; i < 5; i++) t.ok(guard.allow(i * 1000), `redirect ${i + 1} allowed`);
  t.notOk(guard.allow(10_000), 'the sixth within 300 s is refused');
  t.ok(guard.allow(300_001), 'once the first ages out, one more is allowed');
});

t.test('the SPI index finds, deletes and regrows without losing a key (backward-shift deletion)', async (t) => {
  const index = new SpiIndex<number>();
  const keys: [number, number][] = [];
  for (let i = 0; i < 5000; i++) {
    const b = randomBytes(8);
    keys.push([b.readInt32BE(0), b.readInt32BE(4)]);
    index.set(b.readInt32BE(0), b.readInt32BE(4), i);
  }
  // Colliding keys (same low word, different high word) share a probe chain.
  for (let i = 0; i < 50; i++) {
    keys.push([i + 1, 7]);
    index.set(i + 1, 7, 5000 + i);
  }
  for (let i = 0; i < keys.length; i += 2) {
    const [hi, lo] = keys[i] as [number, number];
    t.equal(index.delete(hi, lo), true);
  }
  let missing = 0;
  keys.forEach(([hi, lo], i) => {
    const v = index.get(hi, lo);
    if (i % 2 === 0 ? v !== undefined : v !== i) missing++;
  });
  t.equal(missing, 0, 'every remaining key is found, every deleted one is gone');
  t.equal(index.size, Math.floor(keys.length / 2));
});
