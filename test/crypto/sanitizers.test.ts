// Runs the native crypto core's own unit tests built with sanitizers
// (native/crypto/Makefile): ASan + UBSan (+ LeakSanitizer) over every module,
// TSan over the job pool. They link the system libcrypto.so.3 with Node's
// OpenSSL 3.0 headers, the same ABI the addon uses through the node binary.
import path from 'node:path';
import t from 'tap';

import { run } from '../support/run';

const dir = path.join(__dirname, '..', '..', 'native', 'crypto');

// A clean checkout compiles two sanitizer builds of the whole core: on a busy
// 2-core machine that alone can take a few minutes.
t.setTimeout(600_000);

t.test('native crypto unit tests pass under AddressSanitizer, UBSan and ThreadSanitizer', async (t) => {
  const [asan, tsan] = await Promise.all([
    run('make', ['-s', '-C', dir, 'test'], { timeoutMs: 560_000 }),
    run('make', ['-s', '-C', dir, 'tsan'], { timeoutMs: 560_000 }),
  ]);
  t.test('ASan + UBSan over every module', async (t) => {
    t.equal(asan.code, 0, asan.stderr.slice(-4000));
    t.match(asan.stdout, /^\d+ passed, 0 failed$/m);
    t.notMatch(asan.stdout + asan.stderr, /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/);
  });
  t.test('TSan over the job pool', async (t) => {
    t.equal(tsan.code, 0, tsan.stderr.slice(-4000));
    t.match(tsan.stdout, /^6 passed, 0 failed$/m);
    t.notMatch(tsan.stderr, /WARNING: ThreadSanitizer/);
  });
});
