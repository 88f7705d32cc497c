// libreswan 4.10 pluto as a real IKEv2 peer inside a lab host, without installing it
// (Debian's libreswan conflicts with the strongswan packages). The .deb is extracted
// once with `dpkg -x` into a cache directory; each instance gets its own directory with
// ipsec.conf, ipsec.secrets, an NSS database and a private /run, and runs in the host's
// namespace with the extracted /usr/libexec/ipsec overlaid onto /usr/libexec (pluto execs
// /usr/libexec/ipsec/addconn at start) — both mounts live only in the private mount
// namespace `ip netns exec` creates, so nothing is left on the machine.
//
//   const gw = await startPluto(gwHost, {
//     setup: { 'global-redirect': 'yes', 'global-redirect-to': '192.0.2.9' },
//   });
//   const client = await startPluto(clientHost, {
//     conns: { home: { left: '192.0.2.1', right: '192.0.2.2', leftid: '@client.example', rightid: '@gw.example',
//                      authby: 'secret', ikev2: 'insist', auto: 'add' } },
//     secrets: '@client.example @gw.example : PSK "secret"',
//   });
//   await client.up('home', 10);                       // whack --name home --initiate
//   const sa = await client.waitForIkeSa('home');      // typed state from whack --showstates
//   await gw.waitForLog(/redirect/, 5000);
//   await client.down('home'); await client.stop();    // by PID; the lab also stops it
//
// libreswan cannot install CHILD_SAs on this kernel (XFRM without ESP): only the IKE SA
// can be checked. pluto gets as far as "initiator established IKE SA", then fails to
// install the CHILD_SA and deletes the IKE SA without telling the peer. To keep an IKE SA
// up against a peer that allows childless IKE SAs (strongSwan 5.9 does, RFC 6023), start
// pluto with `impair: ['omit-v2-ike-auth-child']`: IKE_AUTH then carries no CHILD_SA. Certificates: `nss: { caCerts: [pki.ca.cert], p12: [pki.certs.gw.p12] }`
// imports them (certutil/pk12util from libnss3-tools); the p12 friendly name is the
// certificate's nickname for `leftcert=`.
//
// Where the .deb comes from: /tmp/debs/libreswan_*.deb (developer machines), else
// /var/cache/ikelb/libreswan_*.deb (CI), else `apt-get download libreswan` into
// /var/cache/ikelb. The extraction lands in $TMPDIR/ikelb-libreswan/<deb name>/.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Host } from './netns';
import type { ExitStatus, Proc } from './proc';
import { run, runOk, type RunResult } from './run';

const DEB_DIRS = ['/tmp/debs', '/var/cache/ikelb'];
const DOWNLOAD_DIR = '/var/cache/ikelb';

export type IpsecConfValue = string | number | boolean;
export type IpsecConfSection = Readonly<Record<string, IpsecConfValue>>;

export interface PlutoOptions {
  /** Label for the process and directory; default 'pluto'. */
  readonly name?: string;
  /** Whole ipsec.conf text (then `setup` and `conns` are ignored). */
  readonly config?: string;
  /** `config setup` options, e.g. { 'global-redirect': 'yes', 'global-redirect-to': '192.0.2.9' }. */
  readonly setup?: IpsecConfSection;
  /** `conn NAME` sections; loaded at start-up when auto=add/start/ondemand. */
  readonly conns?: Readonly<Record<string, IpsecConfSection>>;
  /** ipsec.secrets text, e.g. '@a @b : PSK "secret"'. */
  readonly secrets?: string;
  /** Certificates for the NSS database: CA certificates (PEM, trusted CT,,) and PKCS#12 files (empty password). */
  readonly nss?: { readonly caCerts?: readonly string[]; readonly p12?: readonly string[] };
  /** plutodebug value; default 'none' ('base', 'all', ...). */
  readonly debug?: string;
  /** pluto --impair options (testing behaviours, `pluto --impair help`), e.g. ['omit-v2-ike-auth-child']. */
  readonly impair?: readonly string[];
}

/** One line of `whack --showstates`. */
export interface PlutoState {
  readonly serial: number;
  readonly conn: string;
  /** e.g. STATE_V2_ESTABLISHED_IKE_SA, STATE_V2_PARENT_I1, STATE_V2_ESTABLISHED_CHILD_SA. */
  readonly state: string;
  /** The text in parentheses, e.g. 'established IKE SA'. */
  readonly description: string;
  /** An IKE SA (not a CHILD SA). */
  readonly ike: boolean;
  readonly established: boolean;
  /** Seconds until the scheduled REKEY / REPLACE event, when listed. */
  readonly rekeyIn: number | undefined;
  readonly replaceIn: number | undefined;
  readonly line: string;
}

export class Pluto {
  readonly host: Host;
  readonly name: string;
  readonly dir: string;
  readonly ctlSocket: string;
  readonly proc: Proc;
  readonly #root: string;
  #stopped: Promise<ExitStatus> | undefined;

  constructor(host: Host, name: string, dir: string, proc: Proc, root: string) {
    this.host = host;
    this.name = name;
    this.dir = dir;
    this.ctlSocket = path.join(dir, 'run', 'pluto', 'pluto.ctl');
    this.proc = proc;
    this.#root = root;
  }

  get pid(): number {
    return this.proc.pid;
  }

  get log(): string {
    return this.proc.output;
  }

  mark(): number {
    return this.proc.mark();
  }

  waitForLog(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<RegExpMatchArray> {
    return this.proc.waitForOutput(pattern, timeoutMs, since);
  }

  /** The extracted `whack` with this instance's control socket (runs outside the namespace). */
  whack(args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
    return run(path.join(this.#root, 'usr/libexec/ipsec/whack'), ['--ctlsocket', this.ctlSocket, ...args], { timeoutMs });
  }

  /** (Re)loads one conn section of ipsec.conf with the extracted addconn. */
  async addConn(conn: string): Promise<void> {
    await runOk(path.join(this.#root, 'usr/libexec/ipsec/addconn'), ['--ctlsocket', this.ctlSocket, '--config', path.join(this.dir, 'ipsec.conf'), conn]);
  }

  /**
   * `whack --name CONN --initiate`: returns when pluto reports the outcome or after
   * `timeoutS` (the whack client is then killed; pluto keeps trying on its own). ok means
   * pluto reported "initiator established IKE SA" (the CHILD_SA may still fail: see above).
   */
  async up(conn: string, timeoutS = 10): Promise<{ readonly ok: boolean; readonly output: string }> {
    const res = await this.whack(['--name', conn, '--initiate'], timeoutS * 1000);
    const output = res.stdout + res.stderr;
    return { ok: /initiator established IKE SA/.test(output), output };
  }

  async down(conn: string): Promise<RunResult> {
    return this.whack(['--name', conn, '--terminate']);
  }

  async states(): Promise<PlutoState[]> {
    const res = await this.whack(['--showstates']);
    if (res.code !== 0) throw new Error(`whack --showstates failed: ${res.stderr}${res.stdout}`);
    return parseShowStates(res.stdout);
  }

  /** Polls until an established IKE SA of `conn` exists; returns it. */
  async waitForIkeSa(conn: string, timeoutMs = 10_000): Promise<PlutoState> {
    const deadline = Date.now() + timeoutMs;
    let last: PlutoState[] = [];
    for (;;) {
      if (!this.proc.running) throw new Error(`${this.proc.name} exited:\n${this.proc.tail()}`);
      last = await this.states();
      const found = last.find((s) => s.conn === conn && s.ike && s.established);
      if (found !== undefined) return found;
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.proc.name}: no established IKE SA for '${conn}' within ${timeoutMs} ms; states:\n${last.map((s) => s.line).join('\n')}\n${this.proc.tail()}`);
  }

  /** Stops pluto by its PID (SIGTERM, SIGKILL after 3 s). Idempotent. */
  stop(): Promise<ExitStatus> {
    this.#stopped ??= this.proc.stop(3000);
    return this.#stopped;
  }
}

let extracted: Promise<string> | undefined;

/** The root of the extracted libreswan package (usr/libexec/ipsec/pluto inside). */
export function libreswanRoot(): Promise<string> {
  extracted ??= extract();
  return extracted;
}

async function findDeb(): Promise<string> {
  for (const dir of DEB_DIRS) {
    if (!existsSync(dir)) continue;
    const deb = readdirSync(dir).filter((f) => /^libreswan_.*\.deb$/.test(f)).sort().pop();
    if (deb !== undefined) return path.join(dir, deb);
  }
  mkdirSync(DOWNLOAD_DIR, { recursive: true });
  await runOk('apt-get', ['download', 'libreswan'], { cwd: DOWNLOAD_DIR, timeoutMs: 120_000 });
  const deb = readdirSync(DOWNLOAD_DIR).filter((f) => /^libreswan_.*\.deb$/.test(f)).sort().pop();
  if (deb === undefined) throw new Error('apt-get download libreswan produced no .deb');
  return path.join(DOWNLOAD_DIR, deb);
}

async function extract(): Promise<string> {
  const deb = await findDeb();
  const cache = path.join(tmpdir(), 'ikelb-libreswan');
  const root = path.join(cache, path.basename(deb, '.deb'));
  if (existsSync(path.join(root, 'usr/libexec/ipsec/pluto'))) return root;
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(path.join(cache, 'extract-'));
  try {
    await runOk('dpkg', ['-x', deb, work]);
    try {
      renameSync(work, root);
    } catch (err) {
      // A parallel test process extracted it first.
      if (!existsSync(path.join(root, 'usr/libexec/ipsec/pluto'))) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return root;
}

/** Starts a private pluto in a lab host; stopped at the lab's teardown. */
export async function startPluto(host: Host, options: PlutoOptions = {}): Promise<Pluto> {
  const root = await libreswanRoot();
  const name = options.name ?? 'pluto';
  const dir = host.lab.makeDir(`${host.name}-${name}`);
  const nss = path.join(dir, 'nss');
  mkdirSync(path.join(dir, 'run', 'pluto'), { recursive: true });
  mkdirSync(nss, { recursive: true });
  writeFileSync(path.join(dir, 'ipsec.conf'), options.config ?? renderIpsecConf(options));
  writeFileSync(path.join(dir, 'ipsec.secrets'), `${options.secrets ?? ''}\n`, { mode: 0o600 });
  await runOk('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  for (const ca of options.nss?.caCerts ?? []) {
    await runOk('certutil', ['-A', '-d', `sql:${nss}`, '-n', path.basename(ca, path.extname(ca)), '-t', 'CT,,', '-a', '-i', ca]);
  }
  for (const p12 of options.nss?.p12 ?? []) {
    await runOk('pk12util', ['-i', p12, '-d', `sql:${nss}`, '-W', '']);
  }

  const libexec = path.join(root, 'usr', 'libexec');
  const proc = host.spawn(
    name,
    path.join(libexec, 'ipsec', 'pluto'),
    [
      '--nofork', '--stderrlog', '--config', path.join(dir, 'ipsec.conf'), '--secretsfile', path.join(dir, 'ipsec.secrets'),
      '--ipsecdir', dir, '--nssdir', nss, ...(options.impair ?? []).flatMap((i) => ['--impair', i]),
    ],
    {
      setup: [
        `mount --bind ${shellQuote(path.join(dir, 'run'))} /run`,
        // pluto runs /usr/libexec/ipsec/addconn; overlay the extracted folder onto /usr/libexec.
        `mount -t overlay overlay -o lowerdir=${shellQuote(libexec)}:/usr/libexec /usr/libexec`,
      ],
      logFile: path.join(dir, 'pluto.log'),
    },
  );
  const pluto = new Pluto(host, name, dir, proc, root);
  host.lab.defer(() => pluto.stop());
  try {
    // Secrets are read last in start-up, after ipsec.conf's connections were added.
    await proc.waitForOutput(/loading secrets from/, 15_000);
    const status = await pluto.whack(['--status'], 5000);
    if (status.code !== 0) throw new Error(`pluto control socket not answering: ${status.stderr}${status.stdout}`);
    const refused = [...proc.output.matchAll(/"([^"]+)": failed to add connection: (.*)/g)].map((m) => `conn ${m[1]}: ${m[2]}`);
    if (refused.length > 0) throw new Error(`pluto refused ipsec.conf (${path.join(dir, 'ipsec.conf')}): ${refused.join('; ')}`);
  } catch (err) {
    await pluto.stop();
    throw err;
  }
  return pluto;
}

/** ipsec.conf from `config setup` options and conn sections. */
export function renderIpsecConf(options: Pick<PlutoOptions, 'setup' | 'conns' | 'debug'>): string {
  const value = (v: IpsecConfValue): string => {
    const s = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    return /\s/.test(s) ? `"${s}"` : s;
  };
  const lines = ['config setup', `    plutodebug=${options.debug ?? 'none'}`];
  for (const [k, v] of Object.entries(options.setup ?? {})) lines.push(`    ${k}=${value(v)}`);
  for (const [conn, section] of Object.entries(options.conns ?? {})) {
    lines.push('', `conn ${conn}`);
    for (const [k, v] of Object.entries(section)) lines.push(`    ${k}=${value(v)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Parses `whack --showstates` lines: `000 #1: "conn":500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA); REKEY in 27s; ...`. */
export function parseShowStates(text: string): PlutoState[] {
  const states: PlutoState[] = [];
  for (const line of text.split('\n')) {
    const m = /#(\d+): "([^"]+)"\S*(?: \S+)*? (STATE_\S+) \(([^)]*)\)(.*)$/.exec(line);
    if (m === null) continue;
    const [, serial = '0', conn = '', state = '', description = '', rest = ''] = m;
    const timer = (what: string): number | undefined => {
      const t = new RegExp(`${what} in (\\d+)s`).exec(rest);
      return t === null ? undefined : Number(t[1]);
    };
    const ike = /IKE_SA|PARENT|IKE SA/i.test(state + description) && !/CHILD/i.test(state);
    states.push({
      serial: Number(serial),
      conn,
      state,
      description,
      ike,
      established: /ESTABLISHED/.test(state),
      rekeyIn: timer('REKEY'),
      replaceIn: timer('REPLACE'),
      line: line.trim(),
    });
  }
  return states;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
