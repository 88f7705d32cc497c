// The native status table and lib/errors.ts name the same codes.
import t from 'tap';

import { ErrorCodes } from '../../lib/errors';
import { cryptoNative } from '../../lib/crypto/native';
import { nativeInfo } from '../../lib/native';

t.test('every native crypto status maps to a documented IkelbError code', async (t) => {
  const codes = cryptoNative().constants.statusCodes;
  t.equal(codes[0], 'IKELB_OK');
  for (const code of codes.slice(1)) t.ok(Object.hasOwn(ErrorCodes, code), `${code} is in lib/errors.ts`);
});

t.test('the addon runs on Node\'s own OpenSSL 3', async (t) => {
  t.match(nativeInfo().opensslVersion, /^OpenSSL 3\./);
  t.equal(nativeInfo().opensslVersion.split(' ')[1], process.versions.openssl.replace(/\+.*/, ''));
});
