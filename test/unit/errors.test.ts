import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ErrorCodes } from '../../lib/errors';

t.test('every error code is documented in docs/ERRORS.md', async (t) => {
  const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'ERRORS.md'), 'utf8');
  for (const code of Object.keys(ErrorCodes)) {
    t.match(doc, `\`${code}\``, `${code} is documented`);
  }
});
