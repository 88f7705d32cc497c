// `crypto ikev2 cluster` (the config model) -> the CLB's options. The model
// already carries every default (lib/config/defaults.ts); this only renames
// fields and adds what the cluster takes from its HSRP group: this gateway's
// address on the cluster LAN (the group's interface address, which the
// primary redirects clients to) and, when the cluster has no key of its own,
// the group's MD5 key-string as the channel secret (resolved by the config).
import type { IkelbConfig } from '../../config/model';
import { resolveClusterOptions, type ClusterOptions, type ClusterOptionsInput } from './options';

/** The unresolved input (for callers that add fields); null without `crypto ikev2 cluster`. */
export function clusterInputFrom(config: IkelbConfig): ClusterOptionsInput | null {
  const c = config.ikev2.cluster;
  if (c === null) return null;
  return {
    standbyGroup: c.standbyGroup.name,
    port: c.port,
    holdtimeMs: c.holdtimeMs,
    overloadLimit: c.primary.overloadLimitPercent,
    weightCryptoLoad: c.primary.cryptoLoadWeight,
    weightSystemLoad: c.primary.systemLoadWeight,
    priority: c.subordinate.priority,
    maxSession: c.subordinate.maxSessions,
    helloMs: c.subordinate.helloMs,
    updateMs: c.subordinate.updateMs,
    shutdown: !c.enabled,
    secret: c.secret.reveal(),
    localAddress: c.standbyGroup.localAddress,
    allowedMembers: c.allowedMembers,
  };
}

/** Resolved, frozen CLB options; null without `crypto ikev2 cluster`. */
export function clusterOptionsFrom(config: IkelbConfig): Readonly<ClusterOptions> | null {
  const input = clusterInputFrom(config);
  return input === null ? null : resolveClusterOptions(input);
}
