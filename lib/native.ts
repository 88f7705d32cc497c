// The only file that loads the native addon. Every native module hangs its
// functions under its own key of the addon's exports; TypeScript modules ask
// for their key with nativeModule() and declare the shape they rely on next to
// their own code, so this file never grows with each module.
import path from 'node:path';
import load from 'node-gyp-build';

/** Keys under which the native modules register themselves (native/napi/modules.cc). */
export type NativeModuleName = 'codec' | 'crypto' | 'udp' | 'hsrp';

interface AddonRoot {
  readonly opensslVersion: string;
  readonly napiVersion: number;
  readonly [module: string]: unknown;
}

// lib/native.ts and dist/native.js both sit one level below the package root.
const packageRoot = path.join(__dirname, '..');

let addon: AddonRoot | undefined;

function root(): AddonRoot {
  addon ??= load(packageRoot) as AddonRoot;
  return addon;
}

/** The OpenSSL the addon runs on (Node's own, resolved from the node binary). */
export function nativeInfo(): { opensslVersion: string; napiVersion: number } {
  const a = root();
  return { opensslVersion: a.opensslVersion, napiVersion: a.napiVersion };
}

/** The raw exports of one native module, typed by the caller's declaration. */
export function nativeModule<T>(name: NativeModuleName): T {
  const mod = root()[name];
  if (mod === undefined || mod === null || typeof mod !== 'object') {
    throw new Error(`native module '${name}' is missing from the ikelb addon (stale build? run npm run build:native)`);
  }
  return mod as T;
}
