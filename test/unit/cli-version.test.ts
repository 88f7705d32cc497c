import { Writable } from 'node:stream';
import t from 'tap';
import { main } from '../../lib/cli/main';

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

t.test('ikelb --version names the package, N-API and Node\'s OpenSSL', async (t) => {
  const out = capture();
  const err = capture();
  const code = await main(['--version'], { stdout: out.stream, stderr: err.stream });
  t.equal(code, 0);
  t.match(out.text(), /^ikelb \d+\.\d+\.\d+ \(node 20\.\d+\.\d+, N-API \d+, OpenSSL 3\.\d+\.\d+/);
});

t.test('an unknown command is refused with the command list', async (t) => {
  const out = capture();
  const err = capture();
  const code = await main(['frobnicate'], { stdout: out.stream, stderr: err.stream });
  t.equal(code, 1);
  t.match(err.text(), /unknown command 'frobnicate'/);
  t.match(err.text(), /commands:/);
});
