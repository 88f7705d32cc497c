// Secrets (pre-shared keys, HSRP key-strings, reconnect keys, CLB secret) are
// in the model for the components that need them, but can never be printed
// or logged by accident, and never appear in an error message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { format, inspect } from 'node:util';
import t from 'tap';
import { parseConfig, Secret, SECRET_MASK } from '../../lib/config';
import { decodeType7 } from '../../lib/config/cisco-type7';
import { createLogger } from '../../lib/log';
import { conf, errorsOf } from './parse-helpers';

const SAMPLE_SECRETS = ['s3cret-psk', 'cluster-secret', 'first-reconnect-key', 'second-reconnect-key'];

t.test('a Secret prints as the mask everywhere and gives its value only through reveal()', async (t) => {
  const s = new Secret('hunter2');
  t.equal(JSON.stringify({ s }), `{"s":"${SECRET_MASK}"}`);
  t.equal(String(s), SECRET_MASK);
  t.equal(`${s}`, SECRET_MASK);
  t.notMatch(inspect(s), /hunter2/);
  t.notMatch(inspect({ deep: { s } }, { depth: null, showHidden: true }), /hunter2/);
  t.notMatch(format('%o %O %j', s, s, s), /hunter2/);
  t.same(Object.values(s), ['clear'], 'no enumerable field holds the value');
  t.equal(s.reveal(), 'hunter2');
  t.equal(s.length, 7);
  t.ok(s.equals(new Secret('hunter2')));
  t.notOk(s.equals(new Secret('hunter3')));
  t.ok(Object.isFrozen(s));
});

t.test('Cisco type-7 strings decode to their clear text (known vectors)', async (t) => {
  t.same(decodeType7('0822455D0A16'), { ok: true, value: 'cisco' });
  t.same(decodeType7('070C285F4D06'), { ok: true, value: 'cisco' });
  t.same(decodeType7('121A0C041104'), { ok: true, value: 'cisco' });
  t.equal(decodeType7('9922455D0A16').ok, false, 'offset beyond the key');
  t.equal(decodeType7('08224').ok, false, 'odd hex length');
});

t.test('no secret of the samples appears in the JSON or the inspected config', async (t) => {
  for (const name of ['gw1.conf', 'client.conf']) {
    const file = path.join(__dirname, '..', '..', 'examples', name);
    const result = parseConfig(readFileSync(file, 'utf8'), file);
    if (!result.ok) throw new Error(`${name} did not parse`);
    const json = JSON.stringify(result.config);
    const inspected = inspect(result.config, { depth: null });
    for (const secret of SAMPLE_SECRETS) {
      t.notOk(json.includes(secret), `${name}: JSON has no ${secret}`);
      t.notOk(inspected.includes(secret), `${name}: inspect has no ${secret}`);
    }
    t.ok(json.includes(SECRET_MASK));
  }
});

t.test('logging the config through the ikelb logger shows no secret', async (t) => {
  const file = path.join(__dirname, '..', '..', 'examples', 'gw1.conf');
  const result = parseConfig(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error('gw1.conf did not parse');
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger('config-test', { destination });
  log.info({ config: result.config, cluster: result.config.ikev2.cluster }, 'loaded');
  await new Promise((resolve) => setImmediate(resolve));
  const out = lines.join('');
  t.match(out, /loaded/);
  for (const secret of SAMPLE_SECRETS) t.notOk(out.includes(secret), `log has no ${secret}`);
});

const secretLines: { name: string; text: string; secret: string }[] = [
  { name: 'type 6 key', text: conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key 6 TopSecret1'), secret: 'TopSecret1' },
  { name: 'extra word after a key', text: conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key TopSecret1 TopSecret2'), secret: 'TopSecret' },
  { name: 'a key with spaces and no quotes', text: conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key my TopSecret1 words'), secret: 'TopSecret1' },
  { name: 'bad argument before the key', text: conf('crypto ikev2 reconnect key 3 active TopSecret1'), secret: 'TopSecret1' },
  { name: 'key command in the wrong mode', text: conf('pre-shared-key TopSecret1'), secret: 'TopSecret1' },
  { name: 'misspelt key command', text: conf('pre-shard-key TopSecret1'), secret: 'TopSecret1' },
  { name: 'too long HSRP text key', text: conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 authentication text TopSecret1'), secret: 'TopSecret1' },
  { name: 'two active reconnect keys', text: conf('crypto ikev2 reconnect key 1 active TopSecret1-long', 'crypto ikev2 reconnect key 2 active TopSecret2-long'), secret: 'TopSecret' },
  { name: 'IKEv1 key line', text: conf('crypto isakmp key TopSecret1 address 0.0.0.0'), secret: 'TopSecret1' },
  { name: 'profile key with a bad type', text: conf('crypto ikev2 profile p', ' authentication local pre-share key 6 TopSecret1'), secret: 'TopSecret1' },
  { name: 'cluster key-string in an interface', text: conf('interface eth0', ' authentication key-string TopSecret1'), secret: 'TopSecret1' },
];

for (const row of secretLines) {
  t.test(`an error on a line with a secret does not show it: ${row.name}`, async (t) => {
    const errors = errorsOf(row.text);
    t.ok(errors.length > 0, 'the line is an error');
    for (const e of errors) t.notOk(e.includes(row.secret), e);
  });
}
