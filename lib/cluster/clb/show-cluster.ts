// `show crypto ikev2 cluster`: the cluster as this gateway sees it, in the
// IOS manner (a header of `name : value` lines, then one row per member), and
// the same facts as data for --json.
import type { RefusalCounts } from './refusals';

export type ClusterRole = 'primary' | 'subordinate' | 'disabled';

export interface MemberStatus {
  readonly address: string;
  readonly role: 'primary' | 'subordinate';
  readonly priority: number;
  readonly sessions: number;
  readonly maxSession: number;
  readonly cryptoLoad: number;
  readonly systemLoad: number;
  readonly cpuLoad: number;
  readonly memoryLoad: number;
  readonly score: number;
  readonly state: string;
  readonly eligible: boolean;
  /** Milliseconds since the last valid frame (0 for the primary's own row). */
  readonly lastHeardMs: number;
  /** Clients redirected to it since its last load report. */
  readonly redirectsSinceReport: number;
}

export interface SubordinateView {
  readonly state: string;
  /** VIP:port connected to. */
  readonly target: string | undefined;
  readonly primaryAddress: string | undefined;
  readonly accepted: boolean;
  /** Milliseconds since the connection was established. */
  readonly connectedMs: number | undefined;
  readonly lastHeardMs: number | undefined;
  /** State and score the primary gives us (from its last PRIMARY-INFO). */
  readonly stateAtPrimary: string | undefined;
  readonly scoreAtPrimary: number | undefined;
  readonly memberCount: number | undefined;
  readonly connects: number;
}

export interface OwnLoad {
  readonly sessions: number;
  readonly maxSession: number;
  readonly cryptoLoad: number;
  readonly systemLoad: number;
  readonly cpuLoad: number;
  readonly memoryLoad: number;
}

export interface ClusterStatus {
  readonly standbyGroup: string;
  readonly role: ClusterRole;
  readonly hsrpActive: boolean;
  readonly port: number;
  readonly virtualAddress: string | undefined;
  readonly localAddress: string;
  /** The primary's real address: ourselves when primary, else what HSRP/the primary told us. */
  readonly primaryAddress: string | undefined;
  readonly holdtimeMs: number;
  readonly helloMs: number;
  readonly updateMs: number;
  readonly priority: number;
  readonly maxSession: number;
  readonly weights: { readonly cryptoLoad: number; readonly systemLoad: number };
  readonly overloadLimit: number;
  readonly hysteresis: number;
  /** Primary only: every member, itself included, in address order. */
  readonly members: readonly MemberStatus[];
  /** Primary only: where the next new session would go. */
  readonly leastLoaded: { readonly decision: 'redirect' | 'local'; readonly address: string; readonly score: number; readonly reason?: string } | undefined;
  readonly subordinate: SubordinateView | undefined;
  readonly ownLoad: OwnLoad | undefined;
  readonly refused: RefusalCounts;
}

const pct = (value: number): string => value.toFixed(1);

/** Why the primary keeps new clients, in words (LlgDecision reasons). */
const localReasons: Readonly<Record<string, string>> = {
  'primary-least-loaded': 'every subordinate is more loaded',
  'no-eligible-subordinate': 'no subordinate can take one',
  'all-overloaded': 'every member is overloaded or full',
};

function ago(ms: number | undefined): string {
  if (ms === undefined) return 'never';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}` : `${(ms / 1000).toFixed(1)} s`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
}

export function formatClusterStatus(s: ClusterStatus): string {
  const lines: string[] = [];
  const roleText =
    s.role === 'disabled' ? 'disabled (shutdown)' : s.role === 'primary' ? `primary (HSRP active in ${s.standbyGroup})` : `subordinate (HSRP ${s.standbyGroup} not active here)`;
  lines.push(`IKEv2 cluster load balancer, standby-group ${s.standbyGroup}`);
  lines.push(`  Role                : ${roleText}`);
  lines.push(`  Virtual IP          : ${s.virtualAddress ?? 'unknown'}, port ${s.port}`);
  lines.push(`  Local address       : ${s.localAddress}`);
  lines.push(`  Primary             : ${s.primaryAddress === undefined ? 'unknown' : s.primaryAddress}${s.role === 'primary' ? ' (this gateway)' : ''}`);
  lines.push(`  Holdtime            : ${s.holdtimeMs} ms, hello ${s.helloMs} ms, update ${s.updateMs} ms`);
  lines.push(`  Weights             : crypto-load ${s.weights.cryptoLoad}, system-load ${s.weights.systemLoad}; overload-limit ${s.overloadLimit}%; hysteresis ${s.hysteresis}%`);
  if (s.ownLoad !== undefined) {
    const o = s.ownLoad;
    lines.push(`  Own load            : sessions ${o.sessions}/${o.maxSession}, crypto ${pct(o.cryptoLoad)}%, system ${pct(o.systemLoad)}% (CPU ${pct(o.cpuLoad)}%, memory ${pct(o.memoryLoad)}%), priority ${s.priority}`);
  }
  if (s.subordinate !== undefined) {
    const sub = s.subordinate;
    const connection =
      sub.state === 'established'
        ? `${sub.accepted ? 'accepted' : 'connected, not yet accepted'} via ${sub.target ?? '?'}, up ${ago(sub.connectedMs)}, last heard ${ago(sub.lastHeardMs)} ago`
        : `${sub.state}${sub.target === undefined ? ' (no virtual IP known yet)' : ` to ${sub.target}`}`;
    lines.push(`  Connection          : ${connection}`);
    if (sub.stateAtPrimary !== undefined) {
      lines.push(`  Seen by the primary : state ${sub.stateAtPrimary}, load ${pct(sub.scoreAtPrimary ?? 0)}%, ${sub.memberCount ?? 0} members`);
    }
  }
  if (s.role === 'primary') {
    lines.push(`  Members             : ${s.members.length}`);
    lines.push('');
    const header = ['Address', 'Role', 'Prio', 'Sessions/Max', 'Crypto%', 'System%', 'CPU%', 'Mem%', 'Load%', 'State', 'Last heard'];
    const rows = s.members.map((m) => [
      m.address,
      m.role,
      String(m.priority),
      `${m.sessions}/${m.maxSession}`,
      pct(m.cryptoLoad),
      pct(m.systemLoad),
      pct(m.cpuLoad),
      pct(m.memoryLoad),
      pct(m.score),
      m.state,
      m.role === 'primary' ? 'local' : ago(m.lastHeardMs),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    lines.push(row(header, widths));
    for (const r of rows) lines.push(row(r, widths));
    lines.push('');
    const llg = s.leastLoaded;
    if (llg !== undefined) {
      lines.push(
        llg.decision === 'redirect'
          ? `  Least loaded gateway: ${llg.address} (load ${pct(llg.score)}%): new clients are redirected there`
          : `  Least loaded gateway: this gateway (load ${pct(llg.score)}%): new clients are served locally (${localReasons[llg.reason ?? ''] ?? llg.reason ?? ''})`,
      );
    }
  }
  const refused = Object.entries(s.refused).filter(([, n]) => n > 0);
  lines.push(`  Refused peers       : ${refused.length === 0 ? 'none' : refused.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
