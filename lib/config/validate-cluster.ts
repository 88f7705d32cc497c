// Checks of the cluster, redirect and reconnect settings against each other
// and against the HSRP groups they refer to.
import { CLUSTER, CLUSTER_SECRET_MIN, HSRP } from './defaults';
import { closest } from './diagnostics';
import type { ConfigDraft, StandbyGroupDraft } from './draft';
import type { Report } from './validate';

/** Every HSRP group by its effective name (configured, or IOS's default hsrp-<if>-<group>). */
export function standbyGroupsByName(draft: ConfigDraft): Map<string, StandbyGroupDraft> {
  const byName = new Map<string, StandbyGroupDraft>();
  for (const iface of draft.interfaces.values()) {
    for (const group of iface.standbyGroups.values()) {
      const name = group.name?.value ?? HSRP.name(iface.name, group.group);
      if (!byName.has(name)) byName.set(name, group);
    }
  }
  return byName;
}

function validateCluster(draft: ConfigDraft, report: Report): void {
  const cluster = draft.cluster;
  if (cluster === undefined) return;
  const groups = standbyGroupsByName(draft);
  let group: StandbyGroupDraft | undefined;
  if (cluster.standbyGroup === undefined) {
    report('error', cluster.line, "the cluster needs 'standby-group NAME': the HSRP group whose active router is the CLB primary");
  } else {
    group = groups.get(cluster.standbyGroup.value);
    if (group === undefined) {
      const suggestion = closest(cluster.standbyGroup.value, groups.keys());
      const known = groups.size === 0 ? 'no HSRP group is configured' : `configured groups: ${[...groups.keys()].join(', ')}`;
      report('error', cluster.standbyGroup.line, `no HSRP group is named '${cluster.standbyGroup.value}' (${suggestion === undefined ? known : `did you mean '${suggestion}'?`})`);
    }
  }
  const hello = cluster.hello?.value ?? CLUSTER.helloMs;
  const holdtime = cluster.holdtime?.value ?? CLUSTER.holdtimeMs;
  const holdLine = cluster.holdtime?.line ?? cluster.hello?.line ?? cluster.line;
  if (holdtime <= hello) {
    report('error', holdLine, `holdtime (${holdtime} ms) must be longer than the subordinate hello (${hello} ms), or every member looks dead`);
  } else if (holdtime < 3 * hello) {
    report('warning', holdLine, `holdtime (${holdtime} ms) is under 3 x the subordinate hello (${hello} ms): one lost hello can drop a member`);
  }
  const crypto = cluster.cryptoLoadWeight?.value ?? CLUSTER.cryptoLoadWeight;
  const system = cluster.systemLoadWeight?.value ?? CLUSTER.systemLoadWeight;
  if (crypto === 0 && system === 0) {
    report('error', cluster.systemLoadWeight?.line ?? cluster.cryptoLoadWeight?.line ?? cluster.line, 'crypto-load and system-load weights are both 0: the load of a member would be undefined');
  }
  const groupKey = group?.authentication?.value.mode === 'md5' ? group.authentication : undefined;
  if (cluster.secret === undefined && group !== undefined && groupKey === undefined) {
    report(
      'error',
      cluster.line,
      "the cluster channel needs a secret: add 'authentication key-string SECRET' here, or 'standby authentication md5 key-string' to its HSRP group",
    );
  }
  const secret = cluster.secret?.value ?? groupKey?.value.key;
  const secretLine = cluster.secret?.line ?? groupKey?.line;
  if (secret !== undefined && secretLine !== undefined && secret.length < CLUSTER_SECRET_MIN) {
    const from = cluster.secret !== undefined ? 'the cluster secret' : "the cluster secret (the HSRP group's md5 key-string)";
    report('error', secretLine, `${from} must be at least ${CLUSTER_SECRET_MIN} characters: it keys the CLB channel's HMAC`);
  }
}

function validateRedirect(draft: ConfigDraft, report: Report): void {
  const clusterOn = draft.cluster !== undefined && draft.cluster.shutdown?.value !== true;
  if (clusterOn || draft.redirectStatic.length > 0) return;
  const noTarget = "has nowhere to send clients: configure 'crypto ikev2 cluster' or 'crypto ikev2 redirect gateway static ADDRESS'";
  if (draft.redirectGatewayInit?.value === true) report('error', draft.redirectGatewayInit.line, `redirect gateway init ${noTarget}`);
  if (draft.redirectGatewayAuth?.value === true) report('error', draft.redirectGatewayAuth.line, `redirect gateway auth ${noTarget}`);
  for (const profile of draft.profiles.values()) {
    if (profile.redirectGatewayAuth?.value === true) report('error', profile.redirectGatewayAuth.line, `redirect gateway auth ${noTarget}`);
  }
}

function validateReconnect(draft: ConfigDraft, report: Report): void {
  const keys = [...draft.reconnectKeys.entries()].sort((a, b) => a[1].line - b[1].line);
  if (keys.length === 0) return;
  const active = keys.filter(([, k]) => k.value.active);
  if (active.length === 0) {
    report('error', (keys[keys.length - 1] as (typeof keys)[number])[1].line, "no reconnect key is active: mark exactly one with 'active' (crypto ikev2 reconnect key N active KEY)");
  } else if (active.length > 1) {
    report('error', (active[1] as (typeof keys)[number])[1].line, `reconnect keys ${active.map(([id]) => id).join(' and ')} are both active: exactly one may be`);
  }
  const [first, second] = keys;
  if (first !== undefined && second !== undefined && first[1].value.key.equals(second[1].value.key)) {
    report('warning', second[1].line, 'both reconnect keys are the same: rolling to the other key changes nothing');
  }
}

export function validateClusterAndRedirect(draft: ConfigDraft, report: Report): void {
  validateCluster(draft, report);
  validateRedirect(draft, report);
  validateReconnect(draft, report);
}
