// `ikelb check-config FILE...`: OK or every error (exit 1), --json for the
// resolved config with secrets masked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { main } from '../../lib/cli/main';
import { run } from '../support/run';

const root = path.join(__dirname, '..', '..');
const examples = path.join(root, 'examples');
const SAMPLE_SECRETS = ['s3cret-psk', 'cluster-secret', 'first-reconnect-key', 'second-reconnect-key'];

function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function checkConfig(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = capture();
  const err = capture();
  const code = await main(['check-config', ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(path.join(tmpdir(), `ikelb-check-config-${process.pid}-`));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const bad = path.join(dir, 'bad.conf');
writeFileSync(
  bad,
  ['hostname gw1', 'interface eth0', ' ip address 192.0.2.11 255.255.255.0', ' standby 1 priority 300', ' standby 1 authentication md5 key-string Hidden-Key-9', 'crypto ikev2 cluster', ' slave priority 300', ''].join('\n'),
);

t.test('every sample config checks OK (exit 0, one OK line each)', async (t) => {
  const files = ['gw1.conf', 'gw2.conf', 'gw3.conf', 'client.conf'].map((f) => path.join(examples, f));
  const r = await checkConfig(...files);
  t.equal(r.code, 0);
  t.equal(r.stdout, files.map((f) => `${f}: OK\n`).join(''));
  t.equal(r.stderr, '');
});

t.test('a bad file prints every error as file:line and exits 1', async (t) => {
  const r = await checkConfig(bad);
  t.equal(r.code, 1);
  t.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  t.same(lines, [
    `${bad}:4: 'standby 1 priority 300': priority must be 0-255`,
    `${bad}:6: 'crypto ikev2 cluster': the cluster needs 'standby-group NAME': the HSRP group whose active router is the CLB primary`,
    `${bad}:7: 'slave priority 300': priority must be 1-255`,
    `${bad}: 3 errors`,
  ]);
  t.notMatch(r.stderr, /Hidden-Key-9/);
});

t.test('good and bad files together: OK for the good one, errors for the bad one, exit 1', async (t) => {
  const good = path.join(examples, 'gw1.conf');
  const r = await checkConfig(good, bad);
  t.equal(r.code, 1);
  t.equal(r.stdout, `${good}: OK\n`);
  t.match(r.stderr, `${bad}: 3 errors`);
});

t.test('--json prints the resolved config with every secret masked', async (t) => {
  const file = path.join(examples, 'gw1.conf');
  const r = await checkConfig('--json', file);
  t.equal(r.code, 0);
  const report = JSON.parse(r.stdout) as { file: string; ok: boolean; errors: unknown[]; config: { hostname: string; ikev2: { cluster: { port: number; secret: string } } } };
  t.same([report.file, report.ok, report.errors], [file, true, []]);
  t.equal(report.config.hostname, 'gw1');
  t.equal(report.config.ikev2.cluster.port, 2000);
  t.equal(report.config.ikev2.cluster.secret, '[redacted]');
  for (const secret of SAMPLE_SECRETS) t.notOk(r.stdout.includes(secret), `no ${secret}`);
});

t.test('--json of a bad file lists the errors, no config, no secret, exit 1', async (t) => {
  const r = await checkConfig('--json', bad);
  t.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as { ok: boolean; errors: { line: number; message: string }[]; config?: unknown };
  t.equal(report.ok, false);
  t.same(
    report.errors.map((e) => e.line),
    [4, 6, 7],
  );
  t.equal(report.config, undefined);
  t.notMatch(r.stdout, /Hidden-Key-9/);
});

t.test('a missing file is an error naming it; no file at all is a usage error (exit 2)', async (t) => {
  const missing = path.join(dir, 'nope.conf');
  const r = await checkConfig(missing);
  t.equal(r.code, 1);
  t.match(r.stderr, `${missing}: cannot read the file (ENOENT)`);
  const usage = await checkConfig();
  t.equal(usage.code, 2);
  t.match(usage.stderr, /no config file given/);
  const unknown = await checkConfig('--frobnicate', bad);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown option '--frobnicate'/);
});

t.test('the installed ikelb binary runs check-config as a real process', async (t) => {
  const cli = path.join(root, 'dist', 'cli', 'main.js');
  const ok = await run(process.execPath, [cli, 'check-config', path.join(examples, 'gw2.conf')]);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, /gw2\.conf: OK/);
  const fail = await run(process.execPath, [cli, 'check-config', bad]);
  t.equal(fail.code, 1);
  t.match(fail.stderr, /bad\.conf:4: 'standby 1 priority 300': priority must be 0-255/);
});
