import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { codecNative } from '../../lib/ike/codec-native';
import { DecodeErrors, DhGroup, KeDataLength, NotifyType, PayloadType } from '../../lib/ike/constants';
import { run } from '../support/run';

const root = path.join(__dirname, '..', '..');
const generator = path.join(root, 'test', 'support', 'gen-constants.mjs');
const def = path.join(root, 'native', 'ike', 'constants.def');
const generated = path.join(root, 'lib', 'ike', 'constants.ts');

t.test('lib/ike/constants.ts is what the generator makes from native/ike/constants.def', async (t) => {
  const r = await run(process.execPath, [generator, '--check']);
  t.equal(r.code, 0, r.stderr || r.stdout);
});

t.test('the sync check fails when constants.def changes without regenerating', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-constants-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const changed = path.join(dir, 'constants.def');
  writeFileSync(changed, readFileSync(def, 'utf8').replace('IKELB_CONST(NotifyType, COOKIE, 16390,', 'IKELB_CONST(NotifyType, COOKIE, 16391,'));
  const r = await run(process.execPath, [generator, '--check', '--def', changed, '--out', generated]);
  t.equal(r.code, 1);
  t.match(r.stderr, /out of date/);
});

t.test('a line the generator does not understand is an error naming file and line', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-constants-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'constants.def');
  writeFileSync(bad, `${readFileSync(def, 'utf8')}\nIKELB_CONST(NotifyType, BROKEN 1, "x")\n`);
  const r = await run(process.execPath, [generator, '--def', bad, '--out', path.join(dir, 'out.ts')]);
  t.equal(r.code, 1);
  t.match(r.stderr, /constants\.def:\d+: not a recognised constants line/);
});

t.test('the native addon was built from the same constants.def (decode error codes in the same order)', async (t) => {
  t.same(codecNative().errorCodes(), Object.keys(DecodeErrors));
});

t.test('well-known values come through the generated tables', async (t) => {
  t.equal(PayloadType.NONCE, 40);
  t.equal(NotifyType.REDIRECT_SUPPORTED, 16406);
  t.equal(NotifyType.REDIRECT, 16407);
  t.equal(NotifyType.REDIRECTED_FROM, 16408);
  t.equal(NotifyType.TICKET_LT_OPAQUE, 16409);
  t.equal(NotifyType.TICKET_OPAQUE, 16413);
  t.equal(KeDataLength.get(DhGroup.MODP_2048), 256);
  t.equal(KeDataLength.get(DhGroup.ECP_521), 132);
  t.equal(KeDataLength.get(DhGroup.CURVE448), 56);
});

t.test('every decode error code is documented in docs/ERRORS.md', async (t) => {
  const doc = readFileSync(path.join(root, 'docs', 'ERRORS.md'), 'utf8');
  for (const code of Object.keys(DecodeErrors)) t.match(doc, `\`${code}\``, `${code} is documented`);
});
