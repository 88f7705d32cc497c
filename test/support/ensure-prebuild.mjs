// Runs `npm run prebuild` when prebuilds/linux-x64 is missing or older than any
// native source, so the packaging test always ships the addon of this tree
// without rebuilding on every `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const prebuildDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'fuzz') continue;
      if (entry.name === 'build') continue; // sanitizer builds (native/crypto/build)
      newest = Math.max(newest, newestMtime(full));
    } else {
      newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

function prebuildMtime() {
  if (!existsSync(prebuildDir)) return 0;
  const files = readdirSync(prebuildDir).filter((f) => f.endsWith('.node'));
  return files.length === 0 ? 0 : Math.min(...files.map((f) => statSync(path.join(prebuildDir, f)).mtimeMs));
}

const sources = Math.max(newestMtime(path.join(root, 'native')), statSync(path.join(root, 'binding.gyp')).mtimeMs);
if (prebuildMtime() < sources) {
  process.stdout.write('prebuild is missing or stale: running npm run prebuild\n');
  execFileSync('npm', ['run', 'prebuild'], { cwd: root, stdio: 'inherit' });
}
