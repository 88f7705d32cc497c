import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { queryControl } from '../../lib/control/client';
import { ControlServer } from '../../lib/control/server';
import { run } from '../support/run';

const cli = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

async function serverWithShowStandby(t: Test): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-ctl-'));
  const socketPath = path.join(dir, 'ikelb.sock');
  const server = new ControlServer();
  server.register(['show', 'standby'], (args) => ({ text: `Ethernet0 - Group 1\n  State is Active (${args.join(',')})`, data: { group: 1, args } }));
  server.register(['show', 'standby', 'brief'], () => ({ text: 'brief', data: { brief: true } }));
  server.register(['clear', 'crypto', 'ikev2', 'sa'], () => {
    throw new Error('% no such SA');
  });
  await server.listen(socketPath);
  t.teardown(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return socketPath;
}

t.test('a show command is answered by the handler with the longest matching words', async (t) => {
  const socketPath = await serverWithShowStandby(t);
  t.same(await queryControl(socketPath, ['show', 'standby', 'brief']), { ok: true, text: 'brief', data: { brief: true } });
  const full = await queryControl(socketPath, ['show', 'standby', 'eth0']);
  t.same(full, { ok: true, text: 'Ethernet0 - Group 1\n  State is Active (eth0)', data: { group: 1, args: ['eth0'] } });
});

t.test('the control socket is private to its owner (mode 0600)', async (t) => {
  const socketPath = await serverWithShowStandby(t);
  t.equal(statSync(socketPath).mode & 0o777, 0o600);
});

t.test('an unknown command and a failing handler answer with an error, and the server keeps serving', async (t) => {
  const socketPath = await serverWithShowStandby(t);
  const unknown = await queryControl(socketPath, ['show', 'version']);
  t.equal(unknown.ok, false);
  t.match(unknown, { error: /Invalid command 'show version'.*show standby/ });
  t.same(await queryControl(socketPath, ['clear', 'crypto', 'ikev2', 'sa']), { ok: false, error: '% no such SA' });
  t.match(await queryControl(socketPath, ['show', 'standby']), { ok: true });
});

t.test('ikelb show prints the text, --json the data, and exits 1 on a daemon error', async (t) => {
  const socketPath = await serverWithShowStandby(t);
  const text = await run('node', [cli, 'show', 'standby', 'brief', '--control', socketPath]);
  t.equal(text.code, 0, text.stderr);
  t.equal(text.stdout, 'brief\n');
  const json = await run('node', [cli, 'show', 'standby', 'brief', '--json', '--control', socketPath]);
  t.same(JSON.parse(json.stdout), { brief: true });
  const failed = await run('node', [cli, 'clear', 'crypto', 'ikev2', 'sa', '--control', socketPath]);
  t.equal(failed.code, 1);
  t.match(failed.stderr, /no such SA/);
});

t.test('ikelb show without a daemon says so and names the socket', async (t) => {
  const result = await run('node', [cli, 'show', 'standby', '--control', '/nonexistent/ikelb.sock']);
  t.equal(result.code, 1);
  t.match(result.stderr, /cannot reach ikelb at \/nonexistent\/ikelb\.sock/);
});

t.test('a second daemon cannot take over a control socket in use', async (t) => {
  const socketPath = await serverWithShowStandby(t);
  const other = new ControlServer();
  await t.rejects(other.listen(socketPath), { code: 'IKELB_ERR_CONTROL' });
});
