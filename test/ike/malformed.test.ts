import t from 'tap';
import { decodeMessage, validateMessage } from '../../lib/ike/codec';
import { DecodeErrors } from '../../lib/ike/constants';
import { malformedCases } from './malformed-cases';

for (const c of malformedCases) {
  t.test(c.name, async (t) => {
    const r = decodeMessage(c.datagram);
    t.equal(r.ok, false, 'decoding fails');
    if (r.ok) return;
    t.equal(r.error.code, c.code, 'error code');
    t.equal(r.error.field, c.field, 'field');
    t.equal(r.error.offset, c.offset, 'byte offset');
    if (c.value !== undefined) t.equal(r.error.value, c.value, 'offending value');
    if (c.notifyType !== undefined) t.equal(r.error.notifyType, c.notifyType, 'notify to answer with');
    t.ok(r.error.code in DecodeErrors, 'the code is a documented decode error');
    t.ok(r.error.detail.length > 0 && !r.error.detail.includes('{'), `detail is a sentence: ${r.error.detail}`);
    // The zero-allocation validator agrees with the structured decoder.
    t.same(validateMessage(c.datagram), r.error, 'validateMessage reports the same error');
  });
}

t.test('every decode error code of constants.def has at least one case in the malformed table', async (t) => {
  const covered = new Set(malformedCases.map((c) => c.code));
  // NESTED_SK only arises inside decrypted SK content (test/ike/payloads.test.ts).
  const elsewhere = new Set(['NESTED_SK']);
  for (const code of Object.keys(DecodeErrors)) {
    t.ok(covered.has(code) || elsewhere.has(code), `${code} is exercised`);
  }
});

t.test('an unknown critical payload error carries the payload type as notification data', async (t) => {
  const c = malformedCases.find((m) => m.slug === 'unknown-critical-payload');
  if (c === undefined) throw new Error('case missing');
  const r = decodeMessage(c.datagram);
  t.equal(r.ok, false);
  if (!r.ok) t.same([...r.error.notifyData], [201]);
});
