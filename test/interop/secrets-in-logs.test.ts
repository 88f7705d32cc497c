// Secrets never reach ikelb's logs: a strongSwan peer that dumps its IKE and
// ESP keys (log level 4) sets up, rekeys and deletes an SA with a debug-level
// `ikelb gateway`; neither the PSK nor any of those key bytes (hex, base64)
// appears in anything ikelb printed.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { pskConnection, startCharon } from '../support/strongswan';
import { gatewayPskConfig, shownSas, startIkelb, waitFor } from './ikelb-lab';

const psk = 'Sup3r-s3cret-PSK-value';

/** Hex dumps charon prints at level 4 ("Sk_ei secret => 32 bytes @ 0x..." followed by hex rows). */
function charonKeys(log: string): Buffer[] {
  const keys: Buffer[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/(Sk_[a-z]+|SKEYSEED|shared Diffie Hellman secret|encryption key|integrity key|KEYMAT)/i.test(lines[i] ?? '')) continue;
    let hex = '';
    for (let j = i + 1; j < lines.length && j < i + 20; j++) {
      const m = /\s([0-9A-F]{2}(?: [0-9A-F]{2}){0,15})\s/.exec(lines[j] ?? '');
      if (m === null) break;
      hex += (m[1] as string).replace(/ /g, '');
    }
    if (hex.length >= 32) keys.push(Buffer.from(hex, 'hex'));
  }
  return keys;
}

t.test('neither the PSK nor any IKE/ESP key byte string appears in ikelb logs, even at debug level', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const gw = await startIkelb(hosts.gw, 'gateway', gatewayPskConfig().replace(/s3cret-psk/g, psk));
  const charon = await startCharon(hosts.client, {
    logLevels: { ike: 4, chd: 4, cfg: 1, knl: 1 },
    swanctl: pskConnection({ remoteAddrs: '192.0.2.2', localId: 'client.example.com', remoteId: 'gw.example.com', psk, childExtra: { rekey_time: '3s', rand_time: '0s' } }),
  });
  t.ok((await charon.initiate('net')).ok);
  const [sa] = await shownSas(gw);
  await gw.command('request', 'crypto', 'ikev2', 'rekey', String(sa?.tunnelId));
  await charon.waitForLog(/CHILD_SA net\{\d+\} established/, 10_000, charon.mark());
  await charon.terminate({ ike: 'ikelb' });
  await waitFor('no SA left', async () => ((await shownSas(gw)).length === 0 ? true : undefined));
  await gw.show('crypto', 'ikev2', 'sa', 'detail');

  const keys = charonKeys(charon.log);
  t.ok(keys.length >= 6, `strongSwan dumped ${keys.length} keys to compare against`);
  const ours = gw.proc.output + readFileSync(gw.config, 'utf8').replace(psk, '');
  t.ok(ours.includes('IKE SA established'), 'ikelb did log the SA (at debug level)');
  t.notOk(ours.includes(psk), 'the PSK is not in the log');
  const leaks = keys.filter((k) => ours.toLowerCase().includes(k.toString('hex')) || ours.includes(k.toString('base64')) || ours.includes(k.subarray(0, 16).toString('hex')));
  t.same(leaks.map((k) => k.length), [], 'no key bytes in the log');
});
