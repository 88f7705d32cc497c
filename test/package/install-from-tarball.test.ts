// The published package must run on a machine without a compiler: npm pack
// ships the prebuilt addon, and installing the tarball never builds.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { run, runOk } from '../support/run';

const root = path.join(__dirname, '..', '..');
const compilers = ['cc', 'gcc', 'g++', 'c++', 'clang', 'clang++', 'make', 'node-gyp'];

t.test('the packed tarball installs into an empty folder and runs ikelb --version without a compiler', async (t) => {
  const work = mkdtempSync(path.join(tmpdir(), 'ikelb-pack-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));

  // dist/ and prebuilds/ are produced by `npm test`'s pretest step.
  const pack = await runOk('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root });
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  if (packed === undefined) throw new Error('npm pack reported nothing');
  const shipped = packed.files.map((f) => f.path);
  t.ok(shipped.some((f) => /^prebuilds\/linux-x64\/.+\.node$/.test(f)), 'the prebuilt addon is in the tarball');
  t.ok(shipped.includes('binding.gyp'), 'binding.gyp is in the tarball');
  t.ok(shipped.includes('native/binding.cc'), 'the native sources are in the tarball');
  t.ok(shipped.includes('dist/cli/main.js'), 'the compiled CLI is in the tarball');
  t.notOk(shipped.some((f) => f.startsWith('test/') || f.startsWith('build/')), 'no tests or local build output');

  // Every compiler the install could reach records that it was called, then fails.
  const shims = path.join(work, 'no-compilers');
  const marker = path.join(work, 'compiler-was-called');
  mkdirSync(shims);
  for (const name of compilers) {
    const shim = path.join(shims, name);
    writeFileSync(shim, `#!/bin/sh\necho "${name} $*" >> "${marker}"\nexit 1\n`);
    chmodSync(shim, 0o755);
  }
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const env = { ...process.env, PATH: `${shims}:${process.env.PATH ?? ''}`, CC: path.join(shims, 'cc'), CXX: path.join(shims, 'c++') };
  await runOk('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, packed.filename)], {
    cwd: app,
    env,
    timeoutMs: 180_000,
  });
  t.notOk(existsSync(marker), 'no compiler was invoked during npm install');
  const installed = path.join(app, 'node_modules', 'ikelb');
  t.notOk(existsSync(path.join(installed, 'build')), 'the addon was not built locally');
  t.ok(readdirSync(path.join(installed, 'prebuilds', 'linux-x64')).length > 0, 'the prebuild is installed');

  const version = await run(path.join(app, 'node_modules', '.bin', 'ikelb'), ['--version'], { cwd: app, env });
  t.equal(version.code, 0, version.stderr);
  t.match(version.stdout, /^ikelb \d+\.\d+\.\d+ \(node .*OpenSSL 3\./);
  t.notOk(existsSync(marker), 'no compiler was invoked by ikelb --version');
});
