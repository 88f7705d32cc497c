// `show crypto ikev2 sa [detail]` and `show crypto ikev2 stats`, in the IOS
// layout a network engineer knows (Tunnel-id, Local, Remote, fvrf/ivrf,
// Status; Encr/PRF/Hash/DH Grp/Auth sign/Auth verify; Life/Active Time), plus
// the same data as JSON. Large tables are paged (`limit N`, `offset N`) and a
// `summary` counts SAs without listing them, so the command answers quickly
// with 100,000 SAs: building one page is O(page), the count O(1).
import net from 'node:net';
import { EncrId, IntegId, PrfId } from './constants';
import type { ChildSa, IkeSa } from './ike-sa';
import type { SaTable } from './sa-table';
import type { IkeStats } from './stats';
import { selectorText, type TrafficSelector } from './traffic-selectors';
import { exchangeName } from './exchange-rules';

/** Entries shown when no `limit` is given. */
export const defaultShowLimit = 1000;

export interface ShowOptions {
  readonly detail: boolean;
  readonly limit: number;
  readonly offset: number;
  /** Only this tunnel id. */
  readonly id: number | undefined;
  /** Only SAs with this peer address. */
  readonly remote: string | undefined;
  readonly summary: boolean;
}

/** Parses the words after `show crypto ikev2 sa`. */
export function parseShowArgs(args: readonly string[]): ShowOptions {
  let detail = false;
  let summary = false;
  let limit = defaultShowLimit;
  let offset = 0;
  let id: number | undefined;
  let remote: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] as string;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`% '${word}' needs a value`);
      return v;
    };
    const count = (v: string): number => {
      if (!/^[0-9]{1,9}$/.test(v)) throw new Error(`% '${word}' needs a number, not '${v}'`);
      return Number(v);
    };
    if (word === 'detail' || word === 'detailed') detail = true;
    else if (word === 'summary' || word === 'count') summary = true;
    else if (word === 'limit') limit = count(value());
    else if (word === 'offset') offset = count(value());
    else if (word === 'id' || word === 'tunnel') id = count(value());
    else if (word === 'remote') {
      remote = value();
      if (net.isIP(remote) === 0) throw new Error(`% 'remote' needs an IP address, not '${remote}'`);
    } else if (/^[0-9]{1,9}$/.test(word)) id = Number(word);
    else throw new Error(`% Invalid input '${word}': expected detail, summary, limit N, offset N, remote ADDRESS or a tunnel id`);
  }
  return { detail, limit, offset, id, remote, summary };
}

export function statusText(sa: IkeSa): 'READY' | 'IN-NEG' | 'DELETE' {
  if (sa.state === 'established') return 'READY';
  if (sa.negotiating) return 'IN-NEG';
  return 'DELETE';
}

function encrName(id: number): string {
  switch (id) {
    case EncrId.ENCR_AES_GCM_16:
      return 'AES-GCM';
    case EncrId.ENCR_AES_CBC:
      return 'AES-CBC';
    default:
      return `ENCR-${id}`;
  }
}

function prfName(id: number): string {
  switch (id) {
    case PrfId.PRF_HMAC_SHA2_256:
      return 'SHA256';
    case PrfId.PRF_HMAC_SHA2_384:
      return 'SHA384';
    case PrfId.PRF_HMAC_SHA2_512:
      return 'SHA512';
    default:
      return `PRF-${id}`;
  }
}

function hashName(id: number): string {
  switch (id) {
    case 0:
      return 'None';
    case IntegId.AUTH_HMAC_SHA2_256_128:
      return 'SHA256';
    case IntegId.AUTH_HMAC_SHA2_384_192:
      return 'SHA384';
    case IntegId.AUTH_HMAC_SHA2_512_256:
      return 'SHA512';
    default:
      return `INTEG-${id}`;
  }
}

function authName(method: number, kind: string | undefined): string {
  if (method === 0) return 'None';
  if (method === 2) return 'PSK';
  if (method === 1) return 'RSA';
  if (method === 9 || method === 10 || method === 11) return 'ECDSA';
  if (method === 14) return kind === undefined ? 'RFC7427' : kind;
  return `AUTH-${method}`;
}

export interface ChildSaJson {
  readonly id: number;
  readonly state: string;
  readonly spiIn: string;
  readonly spiOut: string;
  readonly mode: string;
  readonly encryption: string;
  readonly keySize: number;
  readonly integrity: string;
  readonly pfsGroup: number;
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  readonly createdSeconds: number;
}

export interface IkeSaJson {
  readonly tunnelId: number;
  readonly status: string;
  readonly state: string;
  readonly role: 'initiator' | 'responder';
  readonly local: string;
  readonly remote: string;
  readonly localPort: number;
  readonly remotePort: number;
  readonly fvrf: string;
  readonly ivrf: string;
  readonly encryption: string | undefined;
  readonly keySize: number | undefined;
  readonly prf: string | undefined;
  readonly hash: string | undefined;
  readonly dhGroup: number | undefined;
  readonly authSign: string;
  readonly authVerify: string;
  readonly lifetimeSeconds: number;
  readonly activeSeconds: number;
  readonly localSpi: string;
  readonly remoteSpi: string;
  readonly spiI: string;
  readonly spiR: string;
  readonly localId: string | undefined;
  readonly remoteId: string | undefined;
  readonly profile: string | undefined;
  readonly localNextMessageId: number;
  readonly remoteNextMessageId: number;
  readonly natT: boolean;
  readonly natLocal: boolean;
  readonly natRemote: boolean;
  readonly virtualAddress: string | undefined;
  readonly assignedAddress: string | undefined;
  readonly children: readonly ChildSaJson[];
}

const hexSpi = (b: Buffer): string => b.toString('hex').toUpperCase();
const hex32 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;

function signingKind(sa: IkeSa): string | undefined {
  const local = sa.profile?.localAuth;
  if (local?.kind === 'signature') return local.key.kind === 'rsa' ? 'RSA' : 'ECDSA';
  return undefined;
}

function childJson(child: ChildSa, now: number): ChildSaJson {
  return {
    id: child.id,
    state: child.state,
    spiIn: hex32(child.spiIn),
    spiOut: hex32(child.spiOut),
    mode: child.mode,
    encryption: encrName(child.algorithms.encr),
    keySize: child.algorithms.keyLength,
    integrity: hashName(child.algorithms.integ),
    pfsGroup: child.algorithms.group,
    localTs: child.localTs.map(selectorText),
    remoteTs: child.remoteTs.map(selectorText),
    createdSeconds: Math.max(0, Math.round((now - child.createdAt) / 1000)),
  };
}

export function saJson(sa: IkeSa, now: number): IkeSaJson {
  const a = sa.algorithms;
  const since = sa.establishedAt !== 0 ? sa.establishedAt : sa.createdAt;
  return {
    tunnelId: sa.id,
    status: statusText(sa),
    state: sa.state,
    role: sa.initiator ? 'initiator' : 'responder',
    local: sa.local.address,
    remote: sa.remote.address,
    localPort: sa.local.port,
    remotePort: sa.remote.port,
    fvrf: 'none',
    ivrf: 'none',
    encryption: a === undefined ? undefined : encrName(a.encr),
    keySize: a?.keyLength,
    prf: a === undefined ? undefined : prfName(a.prf),
    hash: a === undefined ? undefined : hashName(a.integ),
    dhGroup: a?.group,
    authSign: authName(sa.authLocal, signingKind(sa)),
    authVerify: authName(sa.authRemote, undefined),
    lifetimeSeconds: Math.round((sa.profile?.lifetimeMs ?? 0) / 1000),
    activeSeconds: Math.max(0, Math.round((now - since) / 1000)),
    localSpi: hexSpi(sa.localSpi),
    remoteSpi: hexSpi(sa.remoteSpi),
    spiI: hexSpi(sa.spiI),
    spiR: hexSpi(sa.spiR),
    localId: sa.localId?.text,
    remoteId: sa.remoteId?.text,
    profile: sa.profile?.name,
    localNextMessageId: sa.nextRequestId,
    remoteNextMessageId: sa.peerNextRequestId,
    natT: sa.local.port !== 500 || sa.natLocal || sa.natRemote,
    natLocal: sa.natLocal,
    natRemote: sa.natRemote,
    virtualAddress: sa.virtualAddress,
    assignedAddress: sa.leasedAddress,
    children: sa.children.map((c) => childJson(c, now)),
  };
}

const col = (s: string, w: number): string => (s.length >= w ? `${s} ` : s.padEnd(w));

function endpoint(address: string, port: number): string {
  return `${address}/${port}`;
}

function headerLine(): string {
  return `${col('Tunnel-id', 10)}${col('Local', 22)}${col('Remote', 22)}${col('fvrf/ivrf', 21)}Status`;
}

function saLines(sa: IkeSa, now: number, detail: boolean): string[] {
  const j = saJson(sa, now);
  const lines = [
    `${col(String(j.tunnelId), 10)}${col(endpoint(j.local, j.localPort), 22)}${col(endpoint(j.remote, j.remotePort), 22)}${col(`${j.fvrf}/${j.ivrf}`, 21)}${j.status}`,
    `      Encr: ${j.encryption ?? 'Unknown'}, keysize: ${j.keySize ?? 0}, PRF: ${j.prf ?? 'Unknown'}, Hash: ${j.hash ?? 'Unknown'}, DH Grp:${j.dhGroup ?? 0}, Auth sign: ${j.authSign}, Auth verify: ${j.authVerify}`,
    `      Life/Active Time: ${j.lifetimeSeconds}/${j.activeSeconds} sec`,
  ];
  if (!detail) return lines;
  const pair = (left: string, right: string): string => `      ${left.padEnd(34)}${right}`;
  lines.push(
    `      CE id: 0, Session-id: ${j.tunnelId}`,
    pair(`Local spi: ${j.localSpi}`, `Remote spi: ${j.remoteSpi}`),
    `      Status Description: ${j.status === 'READY' ? 'Negotiation done' : j.status === 'IN-NEG' ? 'Negotiation in progress' : 'Deleting IKE SA'}`,
    `      Local id: ${j.localId ?? ''}`,
    `      Remote id: ${j.remoteId ?? ''}`,
    pair(`Local req msg id:  ${Math.max(0, j.localNextMessageId - 1)}`, `Remote req msg id:  ${Math.max(0, j.remoteNextMessageId - 1)}`),
    pair(`Local next msg id: ${j.localNextMessageId}`, `Remote next msg id: ${j.remoteNextMessageId}`),
    pair('Local window:      1', 'Remote window:      1'),
  );
  const dpd = sa.profile?.dpd;
  lines.push(dpd === undefined ? '      DPD configured for 0 seconds, retry 0' : `      DPD configured for ${dpd.intervalMs / 1000} seconds, retry ${dpd.retryMs / 1000}`);
  lines.push('      Fragmentation not  configured.');
  lines.push(`      NAT-T is ${j.natLocal ? 'detected inside' : j.natRemote ? 'detected  outside' : 'not detected'}`);
  lines.push(`      Initiator of SA : ${j.role === 'initiator' ? 'Yes' : 'No'}`);
  if (j.assignedAddress !== undefined) lines.push(`      Assigned host addr: ${j.assignedAddress}`);
  if (j.virtualAddress !== undefined) lines.push(`      Virtual address: ${j.virtualAddress}`);
  for (const c of sa.children) lines.push(...childLines(c));
  return lines;
}

function childLines(c: ChildSa): string[] {
  const local = c.localTs[0];
  const remote = c.remoteTs[0];
  const ts = (t: TrafficSelector | undefined): string => (t === undefined ? '-' : selectorText(t));
  const lines = [`  Child sa: local selector  ${ts(local)}`];
  for (const extra of c.localTs.slice(1)) lines.push(`            local selector  ${selectorText(extra)}`);
  lines.push(`          remote selector ${ts(remote)}`);
  for (const extra of c.remoteTs.slice(1)) lines.push(`          remote selector ${selectorText(extra)}`);
  lines.push(
    `          ESP spi in/out: ${hex32(c.spiIn)}/${hex32(c.spiOut)}`,
    `          Encr: ${encrName(c.algorithms.encr)}, keysize: ${c.algorithms.keyLength}, esp_hmac: ${hashName(c.algorithms.integ)}`,
    `          ah_hmac: None, comp: IPCOMP_NONE, mode ${c.mode}${c.state === 'installed' ? '' : ` (${c.state})`}`,
  );
  return lines;
}

export interface ShowResult {
  readonly text: string;
  readonly data: unknown;
}

function matches(sa: IkeSa, o: ShowOptions): boolean {
  if (o.id !== undefined && sa.id !== o.id) return false;
  if (o.remote !== undefined && sa.remote.address !== o.remote) return false;
  return true;
}

export function summarize(table: SaTable): { total: number; ready: number; negotiating: number; deleting: number; halfOpen: number; childSas: number } {
  let ready = 0;
  let negotiating = 0;
  let deleting = 0;
  let childSas = 0;
  for (const sa of table.values()) {
    const s = statusText(sa);
    if (s === 'READY') ready++;
    else if (s === 'IN-NEG') negotiating++;
    else deleting++;
    childSas += sa.children.length;
  }
  return { total: table.size, ready, negotiating, deleting, halfOpen: table.halfOpenCount, childSas };
}

export function showSa(table: SaTable, now: number, options: ShowOptions): ShowResult {
  if (options.summary) {
    const s = summarize(table);
    const text = [
      `IKEv2 SAs: ${s.total} total, ${s.ready} READY, ${s.negotiating} IN-NEG (${s.halfOpen} half-open), ${s.deleting} DELETE`,
      `CHILD SAs: ${s.childSas}`,
    ].join('\n');
    return { text, data: s };
  }
  const v4: IkeSa[] = [];
  const v6: IkeSa[] = [];
  let skipped = 0;
  let total = 0;
  const single = options.id !== undefined ? table.getById(options.id) : undefined;
  const source: Iterable<IkeSa> = options.id !== undefined ? (single === undefined ? [] : [single]) : table.values();
  for (const sa of source) {
    if (!matches(sa, options)) continue;
    total++;
    if (skipped < options.offset) {
      skipped++;
      continue;
    }
    if (v4.length + v6.length >= options.limit) continue;
    (net.isIP(sa.remote.address) === 6 ? v6 : v4).push(sa);
  }
  const lines: string[] = [' IPv4 Crypto IKEv2  SA ', ''];
  for (const sa of v4) lines.push(headerLine(), ...saLines(sa, now, options.detail), '');
  lines.push(' IPv6 Crypto IKEv2  SA ', '');
  for (const sa of v6) lines.push(headerLine(), ...saLines(sa, now, options.detail), '');
  const shown = v4.length + v6.length;
  if (shown < total - options.offset) {
    lines.push(`% ${shown} of ${total} SAs shown (offset ${options.offset}); use 'offset ${options.offset + shown}' for more, or 'summary'`);
  }
  return {
    text: lines.join('\n'),
    data: { total, offset: options.offset, limit: options.limit, sas: [...v4, ...v6].map((sa) => saJson(sa, now)) },
  };
}

function mapJson<K extends string | number>(m: Map<K, number>, name: (k: K) => string = String): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of [...m.entries()].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))) out[name(k)] = v;
  return out;
}

export function showStats(stats: IkeStats, table: SaTable, notifyName: (n: number) => string): ShowResult {
  const s = summarize(table);
  const data = {
    sas: { total: s.total, ready: s.ready, negotiating: s.negotiating, halfOpen: s.halfOpen, deleting: s.deleting, childSas: s.childSas },
    established: stats.saEstablished,
    deleted: stats.saDeleted,
    childEstablished: stats.childEstablished,
    childDeleted: stats.childDeleted,
    authFailures: stats.authFailures,
    cookiesSent: stats.cookiesSent,
    redirectsSent: stats.redirectsSent,
    redirectsFollowed: stats.redirectsFollowed,
    retransmitsSent: stats.retransmitsSent,
    retransmitsAnswered: stats.retransmitsAnswered,
    halfOpenExpired: stats.halfOpenExpired,
    deadPeers: stats.deadPeers,
    received: mapJson(stats.received),
    sent: mapJson(stats.sent),
    notifiesSent: mapJson(stats.notifiesSent, notifyName),
    notifiesReceived: mapJson(stats.notifiesReceived, notifyName),
    drops: mapJson(stats.drops),
  };
  const rule = '-'.repeat(80);
  const table2 = (title: string, entries: Record<string, number>): string[] => {
    const keys = Object.keys(entries);
    if (keys.length === 0) return [`${title}: none`];
    return [`${title}:`, ...keys.map((k) => `  ${k.padEnd(40)} ${entries[k]}`)];
  };
  const lines = [
    rule,
    '                         Crypto IKEv2 SA Statistics',
    rule,
    `Total IKEv2 SA Count:     ${s.total}        active: ${s.ready}        negotiating: ${s.negotiating} (half-open ${s.halfOpen})        deleting: ${s.deleting}`,
    `CHILD SAs:                ${s.childSas}`,
    `Established: ${stats.saEstablished}  Deleted: ${stats.saDeleted}  CHILD established: ${stats.childEstablished}  CHILD deleted: ${stats.childDeleted}`,
    `Authentication failures: ${stats.authFailures}  Dead peers: ${stats.deadPeers}  Half-open expired: ${stats.halfOpenExpired}`,
    `Cookie challenges sent: ${stats.cookiesSent}  Redirects sent: ${stats.redirectsSent}  Redirects followed: ${stats.redirectsFollowed}`,
    `Retransmissions sent: ${stats.retransmitsSent}  Retransmitted requests answered from cache: ${stats.retransmitsAnswered}`,
    ...table2('Exchanges received', data.received),
    ...table2('Exchanges sent', data.sent),
    ...table2('Notifies sent', data.notifiesSent),
    ...table2('Notifies received', data.notifiesReceived),
    ...table2('Datagrams dropped', data.drops),
  ];
  return { text: lines.join('\n'), data };
}

export { exchangeName };
