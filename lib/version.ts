import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The package version, read from package.json (one level above lib/ and dist/). */
export const packageVersion: string = (
  JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
