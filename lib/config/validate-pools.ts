// Address pools must not overlap: one address handed to two clients is an
// outage that shows up only under load.
import type { ConfigDraft } from './draft';
import { bigIntToIpv6, formatIpv4, formatIpv6, ipv6Network, ipv6ToBigInt } from './ip';
import type { Report } from './validate';

export function validatePools(draft: ConfigDraft, report: Report): void {
  const ranges: { pool: string; start: number; end: number; line: number }[] = [];
  for (const pool of draft.ipv4Pools.values()) {
    for (const range of pool.ranges) {
      const clash = ranges.find((r) => range.value.start <= r.end && r.start <= range.value.end);
      if (clash !== undefined) {
        report('error', range.line, `range ${formatIpv4(range.value.start)}-${formatIpv4(range.value.end)} overlaps pool ${clash.pool} (${formatIpv4(clash.start)}-${formatIpv4(clash.end)}, line ${clash.line})`);
      } else ranges.push({ pool: pool.name, ...range.value, line: range.line });
    }
  }
  const prefixes: { pool: string; network: bigint; prefixLength: number; line: number }[] = [];
  for (const pool of draft.ipv6Pools.values()) {
    const network = ipv6Network(ipv6ToBigInt(pool.value.groups), pool.value.prefixLength);
    const clash = prefixes.find((p) => {
      const shorter = Math.min(p.prefixLength, pool.value.prefixLength);
      return ipv6Network(p.network, shorter) === ipv6Network(network, shorter);
    });
    if (clash !== undefined) {
      report('error', pool.line, `prefix ${formatIpv6(bigIntToIpv6(network))}/${pool.value.prefixLength} overlaps ipv6 pool ${clash.pool} (line ${clash.line})`);
    } else prefixes.push({ pool: pool.value.name, network, prefixLength: pool.value.prefixLength, line: pool.line });
  }
}
