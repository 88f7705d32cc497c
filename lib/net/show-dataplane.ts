// `show crypto ikev2 stats dataplane [--json]`: what the UDP engine and the
// redirect fast path did, read from native counters without a native call.
import type { CounterSnapshot } from './dataplane-counters';
import type { TargetStatus } from './target-table';
import type { UdpEngine } from './udp-engine';

export interface DataplaneStats {
  readonly mode: 'thread' | 'event-loop';
  readonly sockets: readonly { address: string; port: number; natt: boolean }[];
  readonly redirectGatewayInit: boolean;
  /** `crypto ikev2 cookie-challenge N`; null: never. */
  readonly cookieChallenge: number | null;
  readonly halfOpen: number;
  readonly cookiesDemanded: boolean;
  readonly targetGeneration: number;
  readonly counters: CounterSnapshot['counters'];
  readonly drops: CounterSnapshot['drops'];
  readonly targets: readonly (TargetStatus & { readonly redirected: number })[];
}

export function dataplaneStats(engine: UdpEngine): DataplaneStats {
  const snapshot = engine.counters.snapshot();
  const threshold = engine.cookieThreshold;
  return {
    mode: engine.mode,
    sockets: engine.sockets.map((s) => ({ address: s.address, port: s.port, natt: s.natt })),
    redirectGatewayInit: engine.redirectInit,
    cookieChallenge: threshold,
    halfOpen: engine.halfOpen,
    cookiesDemanded: threshold !== null && engine.halfOpen >= threshold,
    targetGeneration: engine.targets.lastGeneration,
    counters: snapshot.counters,
    drops: snapshot.drops,
    targets: engine.targets.status().map((s) => ({ ...s, redirected: snapshot.redirectsTo[s.slot] ?? 0 })),
  };
}

const n = (v: number | undefined): string => String(v ?? 0);
const fixed = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'none');

export function renderDataplane(s: DataplaneStats): string {
  const c = s.counters;
  const lines: string[] = [];
  lines.push(`IKEv2 data plane: UDP engine on ${s.mode === 'thread' ? 'its own I/O thread' : 'the event loop'}`);
  for (const sock of s.sockets) {
    const where = sock.address.includes(':') ? `[${sock.address}]:${sock.port}` : `${sock.address}:${sock.port}`;
    lines.push(`  Listening on ${where.padEnd(28)} ${sock.natt ? 'NAT-T (non-ESP marker)' : 'IKE'}`);
  }
  lines.push(`  Redirect gateway init: ${s.redirectGatewayInit ? 'enabled' : 'disabled'}`);
  lines.push(
    `  Cookie challenge: ${s.cookieChallenge === null ? 'disabled' : `at ${s.cookieChallenge} half-open SAs`}, ${s.halfOpen} half-open now${s.cookiesDemanded ? ' (cookies demanded)' : ''}`,
  );
  lines.push('');
  lines.push(`  Datagrams received: ${n(c.datagrams_received)} (${n(c.bytes_received)} bytes in ${n(c.receive_calls)} recvmmsg calls)`);
  lines.push(`  IKE_SA_INIT requests: ${n(c.ike_sa_init_requests)}`);
  lines.push(`    Redirected: ${n(c.redirects_sent)}`);
  lines.push(
    `    Served locally: no REDIRECT_SUPPORTED ${n(c.served_locally_no_support)}, least loaded here ${n(c.served_locally_chosen)}, no eligible target ${n(c.served_locally_no_target)}, arrived redirected ${n(c.served_locally_redirected)}`,
  );
  lines.push(`    Cookies: sent ${n(c.cookies_sent)}, valid ${n(c.cookies_valid)}, invalid ${n(s.drops.invalid_cookie)}`);
  lines.push(`  Passed to IKE: ${n(c.passed_to_js)} datagrams in ${n(c.js_batches)} batches`);
  lines.push(`  Sent: fast path ${n(c.replies_sent)} (errors ${n(c.reply_send_errors)}), IKE ${n(c.js_datagrams_sent)} in ${n(c.js_flushes)} flushes (errors ${n(c.js_send_errors)})`);
  lines.push(`  ESP to the data plane: ${n(c.esp_received)}, NAT-T keepalives: ${n(c.natt_keepalives)}, kernel drops: ${n(c.kernel_drops)}`);
  const drops = Object.entries(s.drops).filter(([, v]) => v > 0);
  const total = drops.reduce((sum, [, v]) => sum + v, 0);
  lines.push(`  Dropped: ${total}${drops.length > 0 ? ` (${drops.map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`);
  lines.push('');
  if (s.targets.length === 0) {
    lines.push('  Redirect targets: none');
  } else {
    lines.push(`  Redirect targets (table generation ${s.targetGeneration}):`);
    lines.push(`    ${'Gateway'.padEnd(40)} ${'Load'.padStart(7)} ${'Projected'.padStart(9)} ${'Since report'.padStart(12)} ${'Redirected'.padStart(10)} ${'Capacity'.padStart(9)}  Eligible`);
    for (const t of s.targets) {
      const name = `${t.address}${t.local ? ' (this gateway)' : ''}`;
      lines.push(
        `    ${name.padEnd(40)} ${fixed(t.loadScore).padStart(7)} ${fixed(t.projectedScore).padStart(9)} ${String(t.redirectsSinceReport).padStart(12)} ${String(t.redirected).padStart(10)} ${(Number.isFinite(t.capacity) ? String(t.capacity) : 'unlimited').padStart(9)}  ${t.eligible ? 'yes' : 'no'}`,
      );
    }
  }
  return lines.join('\n');
}
