// test/vectors/ike/ holds the datagrams the sanitizer regression runner and
// the fuzzer's seed corpus use (native/fuzz/): valid/ must decode and
// re-encode exactly, malformed/<CODE>--<slug>.bin must fail with CODE,
// regressions/ (inputs that once crashed something) must just decode or fail
// cleanly. The generated files are compared with the tables here; run
//   UPDATE_VECTORS=1 npx tap test/ike/vectors.test.ts
// after changing a fixture or a malformed case.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { decodeMessage, encodeMessage } from '../../lib/ike/codec';
import { fixtures } from './fixtures';
import { malformedCases } from './malformed-cases';
import { unusualCases } from './unusual-cases';

const dir = path.join(__dirname, '..', 'vectors', 'ike');
const update = process.env.UPDATE_VECTORS === '1';

function expected(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const [name, message] of Object.entries(fixtures)) files.set(`valid/${name}.bin`, encodeMessage(message));
  for (const c of unusualCases) files.set(`valid/unusual-${c.slug}.bin`, c.datagram);
  for (const c of malformedCases) files.set(`malformed/${c.code}--${c.slug}.bin`, c.datagram);
  return files;
}

t.test('the generated vector files match the fixtures and case tables', async (t) => {
  for (const [rel, bytes] of expected()) {
    const file = path.join(dir, rel);
    if (update) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
    t.ok(existsSync(file) && readFileSync(file).equals(bytes), `${rel} is up to date (UPDATE_VECTORS=1 rewrites it)`);
  }
});

function list(sub: string): string[] {
  const d = path.join(dir, sub);
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.bin')).sort() : [];
}

t.test('every valid vector decodes and re-encodes byte for byte', async (t) => {
  const files = list('valid');
  t.ok(files.length >= Object.keys(fixtures).length);
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, 'valid', f));
    const r = decodeMessage(bytes);
    t.ok(r.ok, `${f} decodes${r.ok ? '' : `: ${r.error.code} at ${r.error.field}`}`);
    if (r.ok) t.same(encodeMessage(r.message), bytes, `${f} re-encodes exactly`);
  }
});

t.test('every malformed vector fails with the code in its name', async (t) => {
  const files = list('malformed');
  t.ok(files.length >= malformedCases.length);
  for (const f of files) {
    const code = f.split('--')[0];
    const r = decodeMessage(readFileSync(path.join(dir, 'malformed', f)));
    t.equal(r.ok ? 'OK' : r.error.code, code, f);
  }
});

t.test('every regression vector decodes or fails cleanly, and round-trips when it decodes', async (t) => {
  for (const f of list('regressions')) {
    const bytes = readFileSync(path.join(dir, 'regressions', f));
    const r = decodeMessage(bytes);
    if (r.ok) t.same(encodeMessage(r.message), bytes, `${f} re-encodes exactly`);
    else t.type(r.error.code, 'string', `${f}: ${r.error.code}`);
  }
  t.pass('no crash');
});
