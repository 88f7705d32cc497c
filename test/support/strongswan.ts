// strongSwan 5.9.8 (Debian) charon as a real IKEv2 peer inside a lab host, one
// private instance per call: its own directory with strongswan.conf (STRONGSWAN_CONF),
// an explicit plugin list (load_modular = no), its own vici socket, swanctl.conf and
// credential folders (SWANCTL_DIR), and a private /run (charon's pid file path is
// fixed) bind-mounted inside the namespace's private mount namespace.
//
//   const gw = await startCharon(gwHost, {
//     swanctl: pskConnection({ remoteAddrs: client.addr(), localId: 'gw.example', remoteId: 'client.example', psk }),
//     settings: { retransmit_tries: 2, follow_redirects: 'no', 'plugins.kernel-libipsec.allow_peer_ts': 'yes' },
//   });
//   const res = await client.initiate('net');               // swanctl --initiate --child net --timeout N
//   const [sa] = await client.listSas();                     // typed IkeSa[]: state, spis, proposals, children
//   await gw.waitForLog(/IKE_SA \S+ established/, 5000);
//   await gw.stop();                                         // by PID; the lab also does it at teardown
//
// Defaults chosen for tests (each overridable through `settings`, keys relative to `charon.`):
// retransmit_tries 2, retransmit_timeout 1 s, retransmit_base 1.4 (a dead peer is given up
// on in ~5 s, not 165 s), logging to stderr (captured, also in <dir>/charon.log) at level
// 1 with ike/cfg/knl at 2 (`logLevels`), and kernel-libipsec on: the kernel here has XFRM
// but no ESP, so CHILD_SAs are installed by charon's userspace ESP on a TUN device. With it:
// `plugins.kernel-libipsec.allow_peer_ts = yes`, charon's own packets marked
// (socket-default fwmark 0x42, kernel-netlink fwmark !0x42) so they bypass routing table
// 220, and stale `lookup 220` ip rules deleted in the host before start and after stop.
// With libipsec, charon floats to UDP 4500 after IKE_SA_INIT (NAT-T port).
//
// swanctl.conf comes as raw text or as a nested object (sections are objects, lists are
// arrays, booleans become yes/no); pskConnection()/certConnection() build the common
// cases and mergeConf() combines several. Certificates and keys: `files` copies them into
// the instance's swanctl folders (x509/, x509ca/, private/ ...), see pki.ts.
//
// captureInitiatorPacket() runs charon as initiator against a UDP sink and returns the
// bytes of its IKE_SA_INIT (used by the codec tests).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { createLab, type Host, type TestLike } from './netns';
import type { ExitStatus, Proc } from './proc';
import { run, runOk, type RunResult } from './run';
import { startUdpSink } from './udp-sink';

export const CHARON = '/usr/lib/ipsec/charon';
export const SWANCTL = '/usr/sbin/swanctl';

/** Plugins loaded in this order (kernel-libipsec must come before kernel-netlink to win the kernel-ipsec feature). */
export const BASE_PLUGINS = [
  'random', 'nonce', 'openssl', 'pem', 'pkcs1', 'pkcs8', 'x509', 'pubkey', 'revocation', 'constraints',
  'curve25519', 'gcm', 'aes', 'sha1', 'sha2', 'hmac', 'kdf',
] as const;
const KERNEL_AND_IO_PLUGINS = ['kernel-netlink', 'socket-default', 'vici', 'updown'] as const;
const SWANCTL_PLUGINS = ['random', 'nonce', 'openssl', 'pem', 'pkcs1', 'pkcs8', 'x509', 'pubkey', 'sha1', 'sha2'] as const;

/** The fwmark on charon's own packets (GUIDE.md: bypass libipsec's routing table 220). */
const LIBIPSEC_FWMARK = '0x42';
const LIBIPSEC_TABLE = '220';

export type ConfScalar = string | number | boolean;
export type ConfValue = ConfScalar | readonly ConfScalar[] | ConfSection;
export interface ConfSection {
  readonly [key: string]: ConfValue | undefined;
}

/** swanctl.conf as an object: { connections: {...}, secrets: {...}, pools: {...}, authorities: {...} }. */
export type SwanctlConf = ConfSection;

export type LogSubsystem =
  | 'default' | 'app' | 'asn' | 'cfg' | 'chd' | 'dmn' | 'enc' | 'esp' | 'ike' | 'imc' | 'imv' | 'job' | 'knl' | 'lib' | 'mgr' | 'net' | 'pts' | 'tls' | 'tnc';

export interface CharonOptions {
  /** Label for the process and directory; default 'charon'. */
  readonly name?: string;
  /** swanctl.conf: text, or an object rendered to text. */
  readonly swanctl?: SwanctlConf | string;
  /** Extra strongswan.conf settings under `charon.`, dotted: { 'cookie_threshold': 0, 'plugins.vici.x': 1 }. */
  readonly settings?: Readonly<Record<string, ConfScalar>>;
  /** Userspace ESP (default true): needed to install CHILD_SAs on this kernel. */
  readonly libipsec?: boolean;
  /** Log levels (-1..4) per subsystem. Default { default: 1, ike: 2, cfg: 2, knl: 2 }. */
  readonly logLevels?: Partial<Record<LogSubsystem, number>>;
  /** More plugins to load (after the base list). */
  readonly plugins?: readonly string[];
  /** Files copied into the instance's swanctl directory: { 'x509ca/ca.pem': '/path/ca.pem' } or contents. */
  readonly files?: Readonly<Record<string, string | { readonly content: string | Buffer }>>;
  /** Run `swanctl --load-all` once charon is up (default true). */
  readonly load?: boolean;
}

export interface ChildSa {
  readonly name: string;
  readonly uniqueid: number;
  readonly reqid: number;
  /** INSTALLED, REKEYING, REKEYED, DELETING, ... */
  readonly state: string;
  readonly mode: string;
  readonly protocol: string;
  readonly encap: boolean;
  readonly spiIn: string;
  readonly spiOut: string;
  readonly encrAlg: string;
  readonly encrKeysize: number | undefined;
  readonly integAlg: string | undefined;
  readonly dhGroup: string | undefined;
  /** Seconds until rekey / hard expiry, as reported. */
  readonly rekeyTime: number | undefined;
  readonly lifeTime: number | undefined;
  readonly installTime: number | undefined;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  readonly raw: ViciSection;
}

export interface IkeSa {
  /** The connection name. */
  readonly name: string;
  readonly uniqueid: number;
  readonly version: number;
  /** CREATED, CONNECTING, ESTABLISHED, PASSIVE, REKEYING, REKEYED, DELETING, DESTROYING. */
  readonly state: string;
  readonly localHost: string;
  readonly localPort: number;
  readonly localId: string;
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly remoteId: string;
  readonly initiator: boolean;
  /** Hex, 16 digits. */
  readonly initiatorSpi: string;
  readonly responderSpi: string;
  readonly natLocal: boolean;
  readonly natRemote: boolean;
  readonly encrAlg: string | undefined;
  readonly encrKeysize: number | undefined;
  readonly integAlg: string | undefined;
  readonly prfAlg: string | undefined;
  readonly dhGroup: string | undefined;
  /** Seconds since established. */
  readonly established: number | undefined;
  /** Seconds until rekey / reauth, when scheduled. */
  readonly rekeyTime: number | undefined;
  readonly reauthTime: number | undefined;
  readonly children: readonly ChildSa[];
  readonly raw: ViciSection;
}

/** A parsed vici message: values, lists and sub-sections. */
export interface ViciSection {
  readonly [key: string]: string | readonly string[] | ViciSection;
}

export interface InitiateResult {
  readonly ok: boolean;
  readonly output: string;
  readonly result: RunResult;
}

export class Charon {
  readonly host: Host;
  readonly name: string;
  /** The instance directory: strongswan.conf, swanctl.conf, run/, x509/, private/, charon.log. */
  readonly dir: string;
  readonly viciUri: string;
  readonly proc: Proc;
  readonly libipsec: boolean;
  readonly #env: NodeJS.ProcessEnv;
  #stopped: Promise<ExitStatus> | undefined;

  constructor(host: Host, name: string, dir: string, proc: Proc, libipsec: boolean) {
    this.host = host;
    this.name = name;
    this.dir = dir;
    this.viciUri = `unix://${path.join(dir, 'charon.vici')}`;
    this.proc = proc;
    this.libipsec = libipsec;
    this.#env = swanctlEnv(dir);
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Everything charon logged so far. */
  get log(): string {
    return this.proc.output;
  }

  /** An offset into the log; pass it to waitForLog to ignore earlier lines. */
  mark(): number {
    return this.proc.mark();
  }

  waitForLog(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<RegExpMatchArray> {
    return this.proc.waitForOutput(pattern, timeoutMs, since);
  }

  /** `swanctl <args> --uri <this instance>`; vici is a unix socket, so this runs outside the namespace. */
  swanctl(args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
    return run(SWANCTL, [...args, '--uri', this.viciUri], { env: this.#env, timeoutMs });
  }

  async swanctlOk(args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
    const res = await this.swanctl(args, timeoutMs);
    if (res.code !== 0) throw new Error(`swanctl ${args.join(' ')} failed (${res.code}): ${res.stderr}${res.stdout}\ncharon log:\n${this.proc.tail()}`);
    return res;
  }

  /** Loads swanctl.conf (connections, secrets, credentials, pools). */
  async load(): Promise<void> {
    await this.swanctlOk(['--load-all', '--noprompt', '--file', path.join(this.dir, 'swanctl.conf')]);
  }

  /**
   * Initiates a CHILD_SA (a string, or { child }) or an IKE_SA ({ ike }); never hangs: swanctl
   * detaches after `timeoutS`. ok means swanctl reported success.
   */
  async initiate(what: string | { readonly child?: string; readonly ike?: string }, timeoutS = 10): Promise<InitiateResult> {
    const target = typeof what === 'string' ? { child: what } : what;
    const args = ['--initiate', '--timeout', String(timeoutS)];
    if (target.child !== undefined) args.push('--child', target.child);
    if (target.ike !== undefined) args.push('--ike', target.ike);
    const result = await this.swanctl(args, (timeoutS + 5) * 1000);
    return { ok: result.code === 0, output: result.stdout + result.stderr, result };
  }

  /** Terminates an IKE_SA or CHILD_SA by config name ({ ike } / { child }) or unique id ({ ikeId } / { childId }). */
  async terminate(
    what: { readonly ike?: string; readonly child?: string; readonly ikeId?: number; readonly childId?: number },
    timeoutS = 10,
  ): Promise<InitiateResult> {
    const args = ['--terminate', '--timeout', String(timeoutS)];
    if (what.ike !== undefined) args.push('--ike', what.ike);
    if (what.child !== undefined) args.push('--child', what.child);
    if (what.ikeId !== undefined) args.push('--ike-id', String(what.ikeId));
    if (what.childId !== undefined) args.push('--child-id', String(what.childId));
    const result = await this.swanctl(args, (timeoutS + 5) * 1000);
    return { ok: result.code === 0, output: result.stdout + result.stderr, result };
  }

  /** `swanctl --list-sas --pretty`, parsed. */
  async listSas(): Promise<IkeSa[]> {
    const res = await this.swanctlOk(['--list-sas', '--pretty']);
    return parseListSas(res.stdout);
  }

  /** Polls listSas until `predicate` holds for some IKE_SA; returns that SA. */
  async waitForSa(predicate: (sa: IkeSa) => boolean, timeoutMs = 10_000, what = 'the expected SA'): Promise<IkeSa> {
    const deadline = Date.now() + timeoutMs;
    let last: IkeSa[] = [];
    for (;;) {
      if (!this.proc.running) throw new Error(`${this.proc.name} exited while waiting for ${what}:\n${this.proc.tail()}`);
      last = await this.listSas();
      const found = last.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) break;
      await sleep(100);
    }
    throw new Error(`${this.proc.name}: no ${what} within ${timeoutMs} ms; SAs: ${JSON.stringify(last.map(summary))}`);
  }

  /** Stops charon by its PID (SIGTERM, SIGKILL after 3 s) and clears its ip rules. Idempotent. */
  stop(): Promise<ExitStatus> {
    this.#stopped ??= (async () => {
      const status = await this.proc.stop(3000);
      if (this.libipsec) await deleteTable220Rules(this.host);
      return status;
    })();
    return this.#stopped;
  }
}

/** Starts a private charon in a lab host; stopped at the lab's teardown. */
export async function startCharon(host: Host, options: CharonOptions = {}): Promise<Charon> {
  const name = options.name ?? 'charon';
  const libipsec = options.libipsec ?? true;
  const dir = host.lab.makeDir(`${host.name}-${name}`);
  for (const sub of ['run', 'x509', 'x509ca', 'x509aa', 'x509ocsp', 'x509crl', 'x509ac', 'pubkey', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12', 'conf.d']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
  }
  writeFileSync(path.join(dir, 'strongswan.conf'), strongswanConf(dir, options, libipsec));
  const swanctl = options.swanctl ?? {};
  writeFileSync(path.join(dir, 'swanctl.conf'), typeof swanctl === 'string' ? swanctl : renderConf(swanctl));
  for (const [rel, source] of Object.entries(options.files ?? {})) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof source === 'string') copyFileSync(source, target);
    else writeFileSync(target, source.content);
  }
  if (libipsec) await deleteTable220Rules(host);

  const proc = host.spawn(name, CHARON, [], {
    env: { ...process.env, STRONGSWAN_CONF: path.join(dir, 'strongswan.conf') },
    setup: [`mount --bind ${shellQuote(path.join(dir, 'run'))} /run`],
    logFile: path.join(dir, 'charon.log'),
  });
  const charon = new Charon(host, name, dir, proc, libipsec);
  host.lab.defer(() => charon.stop());
  // vici answers once charon has loaded its plugins and opened its sockets.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await charon.swanctl(['--stats'], 5000);
    if (res.code === 0) break;
    if (!proc.running || Date.now() > deadline) {
      await charon.stop();
      throw new Error(`charon in ${host.name} did not come up: ${res.stderr}\n${proc.tail()}`);
    }
    await sleep(50);
  }
  if (options.load ?? true) await charon.load();
  return charon;
}

function strongswanConf(dir: string, options: CharonOptions, libipsec: boolean): string {
  const plugins = [...BASE_PLUGINS, ...(libipsec ? ['kernel-libipsec'] : []), ...KERNEL_AND_IO_PLUGINS, ...(options.plugins ?? [])];
  const levels: Partial<Record<LogSubsystem, number>> = { default: 1, ike: 2, cfg: 2, knl: 2, ...options.logLevels };
  const settings: Record<string, ConfScalar> = {
    load_modular: 'no',
    load: plugins.join(' '),
    retransmit_tries: 2,
    retransmit_timeout: 1,
    retransmit_base: 1.4,
    'plugins.vici.socket': `unix://${path.join(dir, 'charon.vici')}`,
    ...(libipsec
      ? {
          'plugins.kernel-libipsec.allow_peer_ts': 'yes',
          'plugins.socket-default.fwmark': LIBIPSEC_FWMARK,
          'plugins.kernel-netlink.fwmark': `!${LIBIPSEC_FWMARK}`,
        }
      : {}),
    ...Object.fromEntries(Object.entries(levels).map(([k, v]) => [`filelog.stderr.${k}`, v])),
    'filelog.stderr.ike_name': 'yes',
    'filelog.stderr.time_format': '%T',
    'filelog.stderr.time_add_ms': 'yes',
    'filelog.stderr.flush_line': 'yes',
    ...options.settings,
  };
  const charon: Record<string, ConfValue> = {};
  for (const [key, value] of Object.entries(settings)) setDotted(charon, key.split('.'), value);
  return renderConf({
    charon,
    swanctl: { load: SWANCTL_PLUGINS.join(' ') },
  });
}

function setDotted(tree: Record<string, ConfValue>, keys: string[], value: ConfScalar): void {
  const [first, ...rest] = keys;
  if (first === undefined) return;
  if (rest.length === 0) {
    tree[first] = value;
    return;
  }
  const existing = tree[first];
  const sub: Record<string, ConfValue> = existing !== undefined && typeof existing === 'object' && !Array.isArray(existing) ? { ...(existing as ConfSection) } as Record<string, ConfValue> : {};
  setDotted(sub, rest, value);
  tree[first] = sub;
}

/** strongswan.conf / swanctl.conf syntax: one `key = value` per line, sections in braces. */
export function renderConf(section: ConfSection, indent = ''): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      lines.push(`${indent}${key} {`, renderConf(value as ConfSection, `${indent}  `), `${indent}}`);
    } else {
      lines.push(`${indent}${key} = ${scalarList(value as ConfScalar | readonly ConfScalar[])}`);
    }
  }
  return lines.filter((l) => l !== '').join('\n') + (indent === '' ? '\n' : '');
}

function scalarList(value: ConfScalar | readonly ConfScalar[]): string {
  const one = (v: ConfScalar): string => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));
  return Array.isArray(value) ? value.map(one).join(', ') : one(value as ConfScalar);
}

/** Deep merge of swanctl.conf objects (later parts win). */
export function mergeConf(...parts: readonly ConfSection[]): ConfSection {
  const out: Record<string, ConfValue> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined) continue;
      const prev = out[key];
      const isSection = (v: unknown): v is ConfSection => typeof v === 'object' && v !== null && !Array.isArray(v);
      out[key] = isSection(prev) && isSection(value) ? mergeConf(prev, value) : value;
    }
  }
  return out;
}

export interface ConnectionOptions {
  /** Connection name; default 'ikelb'. */
  readonly name?: string;
  /** CHILD_SA name; default 'net'. */
  readonly child?: string;
  /** Default %any. */
  readonly localAddrs?: string;
  /** Default %any (a responder). */
  readonly remoteAddrs?: string;
  readonly localId: string;
  readonly remoteId: string;
  /** IKE proposals; default 'aes256gcm16-prfsha256-x25519'. */
  readonly proposals?: string;
  /** ESP proposals; default 'aes256gcm16'. */
  readonly espProposals?: string;
  /** Default 'dynamic' both. */
  readonly localTs?: string;
  readonly remoteTs?: string;
  /** Extra connection settings (e.g. { rekey_time: '10s', dpd_delay: '2s' }) and child settings. */
  readonly extra?: ConfSection;
  readonly childExtra?: ConfSection;
}

function baseConnection(o: ConnectionOptions, local: ConfSection, remote: ConfSection): ConfSection {
  const name = o.name ?? 'ikelb';
  return {
    connections: {
      [name]: {
        version: 2,
        local_addrs: o.localAddrs ?? '%any',
        remote_addrs: o.remoteAddrs ?? '%any',
        proposals: o.proposals ?? 'aes256gcm16-prfsha256-x25519',
        local,
        remote,
        children: {
          [o.child ?? 'net']: {
            esp_proposals: o.espProposals ?? 'aes256gcm16',
            local_ts: o.localTs ?? 'dynamic',
            remote_ts: o.remoteTs ?? 'dynamic',
            ...o.childExtra,
          },
        },
        ...o.extra,
      },
    },
  };
}

/** A PSK-authenticated connection plus its secret. */
export function pskConnection(o: ConnectionOptions & { readonly psk: string }): SwanctlConf {
  const name = o.name ?? 'ikelb';
  return mergeConf(baseConnection(o, { auth: 'psk', id: o.localId }, { auth: 'psk', id: o.remoteId }), {
    secrets: { [`ike-${name}`]: { 'id-1': o.localId, 'id-2': o.remoteId, secret: `"${o.psk}"` } },
  });
}

/**
 * A certificate-authenticated connection: `cert` is a file name in x509/, the CA in x509ca/
 * and the key in private/ (put them there with CharonOptions.files).
 */
export function certConnection(o: ConnectionOptions & { readonly cert: string; readonly remoteAuth?: string }): SwanctlConf {
  return baseConnection(o, { auth: 'pubkey', id: o.localId, certs: o.cert }, { auth: o.remoteAuth ?? 'pubkey', id: o.remoteId });
}

/** Parses `swanctl --list-sas --pretty` (vici's indented key = value / name { } / name [ ] form). */
export function parseListSas(text: string): IkeSa[] {
  const sas: IkeSa[] = [];
  for (const event of parseVici(text)) {
    for (const [name, value] of Object.entries(event)) {
      if (typeof value === 'object' && !Array.isArray(value)) sas.push(toIkeSa(name, value as ViciSection));
    }
  }
  return sas;
}

/** Parses pretty vici output: a sequence of top-level messages (`list-sa event { ... }`). */
export function parseVici(text: string): ViciSection[] {
  const messages: ViciSection[] = [];
  const stack: Record<string, string | string[] | ViciSection>[] = [];
  let list: string[] | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (list !== undefined) {
      if (line === ']') list = undefined;
      else list.push(line);
      continue;
    }
    const open = /^(.*\S)\s+\{$/.exec(line) ?? /^()\{$/.exec(line);
    if (open !== null) {
      const section: Record<string, string | string[] | ViciSection> = {};
      const top = stack[stack.length - 1];
      if (top === undefined) messages.push(section);
      else top[open[1] ?? ''] = section;
      stack.push(section);
      continue;
    }
    if (line === '}') {
      stack.pop();
      continue;
    }
    const listOpen = /^(\S+)\s+(?:=\s+)?\[$/.exec(line);
    const top = stack[stack.length - 1];
    if (listOpen !== null && top !== undefined) {
      list = [];
      top[listOpen[1] ?? ''] = list;
      continue;
    }
    const kv = /^(\S+)\s+=\s?(.*)$/.exec(line);
    if (kv !== null && top !== undefined) top[kv[1] ?? ''] = kv[2] ?? '';
  }
  return messages;
}

function str(s: ViciSection, key: string): string | undefined {
  const v = s[key];
  return typeof v === 'string' ? v : undefined;
}

function num(s: ViciSection, key: string): number | undefined {
  const v = str(s, key);
  return v === undefined ? undefined : Number(v);
}

function strList(s: ViciSection, key: string): string[] {
  const v = s[key];
  return Array.isArray(v) ? [...(v as readonly string[])] : typeof v === 'string' ? [v] : [];
}

function toIkeSa(name: string, s: ViciSection): IkeSa {
  const children = s['child-sas'];
  const childList: ChildSa[] = [];
  if (children !== undefined && typeof children === 'object' && !Array.isArray(children)) {
    for (const value of Object.values(children as ViciSection)) {
      if (typeof value === 'object' && !Array.isArray(value)) childList.push(toChildSa(value as ViciSection));
    }
  }
  return {
    name,
    uniqueid: num(s, 'uniqueid') ?? 0,
    version: num(s, 'version') ?? 0,
    state: str(s, 'state') ?? '',
    localHost: str(s, 'local-host') ?? '',
    localPort: num(s, 'local-port') ?? 0,
    localId: str(s, 'local-id') ?? '',
    remoteHost: str(s, 'remote-host') ?? '',
    remotePort: num(s, 'remote-port') ?? 0,
    remoteId: str(s, 'remote-id') ?? '',
    initiator: str(s, 'initiator') === 'yes',
    initiatorSpi: str(s, 'initiator-spi') ?? '',
    responderSpi: str(s, 'responder-spi') ?? '',
    natLocal: str(s, 'nat-local') === 'yes',
    natRemote: str(s, 'nat-remote') === 'yes',
    encrAlg: str(s, 'encr-alg'),
    encrKeysize: num(s, 'encr-keysize'),
    integAlg: str(s, 'integ-alg'),
    prfAlg: str(s, 'prf-alg'),
    dhGroup: str(s, 'dh-group'),
    established: num(s, 'established'),
    rekeyTime: num(s, 'rekey-time'),
    reauthTime: num(s, 'reauth-time'),
    children: childList,
    raw: s,
  };
}

function toChildSa(s: ViciSection): ChildSa {
  return {
    name: str(s, 'name') ?? '',
    uniqueid: num(s, 'uniqueid') ?? 0,
    reqid: num(s, 'reqid') ?? 0,
    state: str(s, 'state') ?? '',
    mode: str(s, 'mode') ?? '',
    protocol: str(s, 'protocol') ?? '',
    encap: str(s, 'encap') === 'yes',
    spiIn: str(s, 'spi-in') ?? '',
    spiOut: str(s, 'spi-out') ?? '',
    encrAlg: str(s, 'encr-alg') ?? '',
    encrKeysize: num(s, 'encr-keysize'),
    integAlg: str(s, 'integ-alg'),
    dhGroup: str(s, 'dh-group'),
    rekeyTime: num(s, 'rekey-time'),
    lifeTime: num(s, 'life-time'),
    installTime: num(s, 'install-time'),
    bytesIn: num(s, 'bytes-in') ?? 0,
    bytesOut: num(s, 'bytes-out') ?? 0,
    packetsIn: num(s, 'packets-in') ?? 0,
    packetsOut: num(s, 'packets-out') ?? 0,
    localTs: strList(s, 'local-ts'),
    remoteTs: strList(s, 'remote-ts'),
    raw: s,
  };
}

function summary(sa: IkeSa): string {
  return `${sa.name}#${sa.uniqueid} ${sa.state} [${sa.children.map((c) => `${c.name} ${c.state}`).join(', ')}]`;
}

/** Deletes `lookup 220` rules (IPv4 and IPv6) a dead charon may have left in the host. */
export async function deleteTable220Rules(host: Host): Promise<number> {
  let deleted = 0;
  for (const family of ['-4', '-6']) {
    const { stdout } = await runOk('ip', [family, '-n', host.ns, 'rule', 'show']);
    for (const line of stdout.split('\n')) {
      const m = /^(\d+):.*\blookup (\S+)/.exec(line);
      if (m !== null && m[2] === LIBIPSEC_TABLE) {
        const del = await run('ip', [family, '-n', host.ns, 'rule', 'del', 'pref', m[1] ?? '']);
        if (del.code === 0) deleted += 1;
      }
    }
  }
  return deleted;
}

function swanctlEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, STRONGSWAN_CONF: path.join(dir, 'strongswan.conf'), SWANCTL_DIR: dir };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CaptureInitiatorOptions {
  /** IKE proposals charon offers; default 'aes256gcm16-prfsha256-x25519'. */
  readonly proposals?: string;
  /** IPv6 instead of IPv4 (2001:db8::1 -> 2001:db8::2). */
  readonly ipv6?: boolean;
  /** More charon settings (e.g. { follow_redirects: 'no' } to omit REDIRECT_SUPPORTED). */
  readonly settings?: Readonly<Record<string, ConfScalar>>;
  /** Extra connection settings merged into the initiator's connection. */
  readonly connection?: ConfSection;
  /** Datagrams to wait for (retransmissions follow after 1 s); default 1. */
  readonly count?: number;
}

export interface CapturedInitiatorPacket {
  /** The first datagram: charon's IKE_SA_INIT request, exactly as sent. */
  readonly packet: Buffer;
  /** All datagrams received (count of them). */
  readonly datagrams: readonly Buffer[];
  readonly from: string;
  readonly fromPort: number;
  readonly to: string;
  /** charon's log up to the capture. */
  readonly log: string;
}

/**
 * strongSwan as initiator inside a namespace against a UDP sink on port 500 of a second
 * namespace: returns its IKE_SA_INIT bytes. Builds and tears down its own lab (on t).
 */
export async function captureInitiatorPacket(t: TestLike, options: CaptureInitiatorOptions = {}): Promise<CapturedInitiatorPacket> {
  const lab = await createLab(t);
  const client = await lab.addHost('client');
  const sinkHost = await lab.addHost('sink');
  const v6 = options.ipv6 === true;
  await lab.connect(client, sinkHost, {
    a: { addresses: [v6 ? '2001:db8::1/64' : '192.0.2.1/24'] },
    b: { addresses: [v6 ? '2001:db8::2/64' : '192.0.2.2/24'] },
  });
  const to = sinkHost.addr(v6 ? 6 : 4);
  if (isIP(to) === 0) throw new Error('sink has no address');
  const sink = await startUdpSink(sinkHost, { port: 500, family: v6 ? 6 : 4 });
  const conf = pskConnection({
    name: 'capture',
    remoteAddrs: to,
    localId: 'client.example',
    remoteId: 'gw.example',
    psk: 'capture-only-not-a-secret',
    ...(options.proposals === undefined ? {} : { proposals: options.proposals }),
    ...(options.connection === undefined ? {} : { extra: options.connection }),
    // charon initiates as soon as swanctl loads the connection: no swanctl --initiate
    // waiting for an answer the sink never sends.
    childExtra: { start_action: 'start' },
  });
  const charon = await startCharon(client, { name: 'initiator', swanctl: conf, libipsec: false, ...(options.settings === undefined ? {} : { settings: options.settings }) });
  const got = await sink.next(options.count ?? 1, 10_000);
  await charon.stop();
  await sink.stop();
  const first = got[0];
  if (first === undefined) throw new Error('no datagram captured');
  return {
    packet: first.data,
    datagrams: got.map((d) => d.data),
    from: first.from,
    fromPort: first.fromPort,
    to,
    log: charon.log,
  };
}
