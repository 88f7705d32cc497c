// Whatever the text, parseConfig answers with a config or with diagnostics:
// it never throws. Lines are built from the language's own keywords mixed
// with odd values (seeded, bounded: 3000 lines in 300 files).
import t from 'tap';
import { parseConfig } from '../../lib/config';
import { COMMANDS } from '../../lib/config/grammar';
import { leadingKeywords } from '../../lib/config/syntax';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const words = [...new Set(COMMANDS.flatMap((c) => leadingKeywords(c.syntax)))];
const values = ['0', '1', '7', '255', '256', '4096', '65536', '-1', '192.0.2.1', '0.0.0.0', '255.255.255.0', '2001:db8::1/64', '::', 'x', '"q u"', '"', '!', 'a'.repeat(300), '\t', 'é', '0822455D0A16', 'msec', 'any', 'no'];

t.test('random lines of keywords and odd values never make the parser throw', async (t) => {
  const random = prng(20240601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let errors = 0;
  for (let file = 0; file < 300; file++) {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      const indent = ' '.repeat(Math.floor(random() * 3));
      const tokens = Array.from({ length: 1 + Math.floor(random() * 6) }, () => (random() < 0.6 ? pick(words) : pick(values)));
      lines.push(indent + tokens.join(' '));
    }
    const result = parseConfig(lines.join('\n'), `random-${file}.conf`);
    if (!result.ok) errors += result.errors.length;
    for (const d of result.ok ? result.warnings : result.errors) {
      if (!(d.line >= 0 && d.line <= lines.length && d.message.length > 0)) t.fail(`bad diagnostic ${JSON.stringify(d)}`);
    }
  }
  t.ok(errors > 0, `${errors} errors reported, none thrown`);
});
