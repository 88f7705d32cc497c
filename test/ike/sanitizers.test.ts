// The IKEv2 codec built with ASan + UBSan (native/fuzz/Makefile, clang-14)
// decodes every vector under test/vectors/ike/: valid ones round-trip,
// malformed ones fail with the code in their name, regressions decode or
// fail cleanly, and all pass the fuzz target's invariant checks.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { run } from '../support/run';

const root = path.join(__dirname, '..', '..');
const fuzzDir = path.join(root, 'native', 'fuzz');
const runner = path.join(fuzzDir, 'build', 'regressions');
const env = { ...process.env, UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1', ASAN_OPTIONS: 'detect_leaks=1' };

t.test('the sanitizer-built codec passes every test vector', { timeout: 280_000 }, async (t) => {
  const build = await run('make', ['-C', fuzzDir, '-j2', 'build/regressions'], { timeoutMs: 270_000 });
  t.equal(build.code, 0, `build the regression runner: ${build.stderr.slice(-2000)}`);
  const r = await run(runner, [path.join(root, 'test', 'vectors', 'ike')], { env, timeoutMs: 60_000 });
  t.equal(r.code, 0, r.stderr.slice(-4000));
  t.match(r.stdout, /regressions: \d+ passed, 0 failed \(ASan\+UBSan\)/);
  t.notMatch(r.stderr, /runtime error|AddressSanitizer/, 'no sanitizer report');
});

t.test('the regression runner fails on a vector that does not do what its folder says', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-vectors-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(root, 'test', 'vectors', 'ike', 'valid'), path.join(dir, 'valid'), { recursive: true });
  writeFileSync(path.join(dir, 'valid', 'broken.bin'), Buffer.from('not an IKE datagram at all'));
  const r = await run(runner, [dir], { env, timeoutMs: 60_000 });
  t.equal(r.code, 1);
  t.match(r.stderr, /FAIL valid\/broken\.bin: TRUNCATED_HEADER|FAIL valid\/broken\.bin: UNSUPPORTED_MAJOR_VERSION/);
});
