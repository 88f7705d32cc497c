// Turns a validated draft into the model: defaults filled in (defaults.ts),
// names replaced by the objects they name, built-ins (proposal, policy,
// transform sets, ipsec profile `default`) added where IOS has them. Runs only
// on a draft that validated without errors, so a missing reference here is a
// bug, not a user error.
import { ENCRYPTION, type PrfAlgorithm } from './algorithms';
import { CLIENT_CONNECT, CLUSTER, DEFAULT_PROPOSAL, DEFAULT_TRANSFORM_SETS, HOSTNAME, HSRP, IKEV2, IPSEC, REDIRECT, REVOCATION_CHECK } from './defaults';
import type { ClusterDraft, ConfigDraft, InterfaceDraft, ProfileDraft } from './draft';
import { formatIpv4 } from './ip';
import type {
  AuthorizationPolicy,
  ClusterConfig,
  FlexvpnClient,
  IkelbConfig,
  Ikev2Profile,
  InterfaceConfig,
  IpsecProfile,
  Ipv4Pool,
  Ipv6Pool,
  Keyring,
  ListenEndpoint,
  Policy,
  Proposal,
  StandbyGroup,
  TransformSet,
  Trustpoint,
} from './model';
import { Secret } from './secret';
import type { ValidationFacts } from './validate';
import { standbyGroupsByName } from './validate-cluster';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`config resolve: ${what} is missing after validation`);
  return value;
}

function resolveInterface(iface: InterfaceDraft): InterfaceConfig {
  const version = iface.standbyVersion?.value ?? HSRP.version;
  const addr = (a: { address: string; mask: string; prefixLength: number }) => ({ address: a.address, mask: a.mask, prefixLength: a.prefixLength });
  const groups: StandbyGroup[] = [...iface.standbyGroups.values()].map((g) => ({
    interface: iface.name,
    group: g.group,
    line: g.line,
    version,
    name: g.name?.value ?? HSRP.name(iface.name, g.group),
    localAddress: need(iface.ipv4, `ip address of ${iface.name}`).value.address,
    virtualIp: g.virtualIp?.value?.address ?? null,
    secondaryVirtualIps: g.secondaryVirtualIps.map((v) => v.value.address),
    priority: g.priority?.value ?? HSRP.priority,
    preempt: {
      enabled: g.preempt !== undefined,
      delayMinimumSeconds: g.preempt?.value.minimum ?? HSRP.preemptDelaySeconds,
      delayReloadSeconds: g.preempt?.value.reload ?? HSRP.preemptDelaySeconds,
      delaySyncSeconds: g.preempt?.value.sync ?? HSRP.preemptDelaySeconds,
    },
    timers: { helloMs: g.timers?.value.helloMs ?? HSRP.helloMs, holdMs: g.timers?.value.holdMs ?? HSRP.holdMs },
    authentication: g.authentication?.value ?? { mode: 'text', key: new Secret(HSRP.textAuthentication) },
    unicastPeers: g.unicastPeers.map((p) => p.value.address),
    useBia: iface.standbyUseBia,
  }));
  return {
    name: iface.name,
    line: iface.line,
    description: iface.description ?? null,
    shutdown: iface.shutdown,
    ipv4: iface.ipv4 === undefined ? null : addr(iface.ipv4.value),
    ipv4Secondary: iface.ipv4Secondary.map((a) => addr(a.value)),
    ipv6: iface.ipv6.map((a) => ({ ...a.value })),
    standby: { version, useBia: iface.standbyUseBia, groups },
  };
}

function resolveCluster(cluster: ClusterDraft, draft: ConfigDraft, groups: readonly StandbyGroup[]): ClusterConfig {
  const groupName = need(cluster.standbyGroup, 'cluster standby-group').value;
  const draftGroup = need(standbyGroupsByName(draft).get(groupName), `standby group ${groupName}`);
  const group = need(
    groups.find((g) => g.name === groupName),
    `standby group ${groupName}`,
  );
  const secret = cluster.secret?.value ?? (draftGroup.authentication?.value.mode === 'md5' ? draftGroup.authentication.value.key : undefined);
  return {
    line: cluster.line,
    enabled: cluster.shutdown === undefined ? CLUSTER.enabled : !cluster.shutdown.value,
    standbyGroup: group,
    port: cluster.port?.value ?? CLUSTER.port,
    holdtimeMs: cluster.holdtime?.value ?? CLUSTER.holdtimeMs,
    primary: {
      overloadLimitPercent: cluster.overloadLimit?.value ?? CLUSTER.overloadLimitPercent,
      cryptoLoadWeight: cluster.cryptoLoadWeight?.value ?? CLUSTER.cryptoLoadWeight,
      systemLoadWeight: cluster.systemLoadWeight?.value ?? CLUSTER.systemLoadWeight,
    },
    subordinate: {
      helloMs: cluster.hello?.value ?? CLUSTER.helloMs,
      updateMs: cluster.update?.value ?? CLUSTER.updateMs,
      maxSessions: cluster.maxSession?.value ?? CLUSTER.maxSessions,
      priority: cluster.priority?.value ?? CLUSTER.priority,
    },
    secret: need(secret, 'cluster secret'),
    secretSource: cluster.secret !== undefined ? 'cluster' : 'standby-group',
    allowedMembers: cluster.members.map((m) => m.value),
  };
}

function resolveProposals(draft: ConfigDraft): Proposal[] {
  const proposals: Proposal[] = [...draft.proposals.values()].map((p) => {
    const aead = p.encryption.some((e) => ENCRYPTION[e.value].aead);
    const integrity = p.integrity.map((i) => i.value);
    // IOS: without `prf`, a non-AEAD proposal uses its integrity algorithms' hashes as PRFs.
    const prf: PrfAlgorithm[] = p.prf.length > 0 ? p.prf.map((x) => x.value) : integrity;
    return { name: p.name, line: p.line, builtIn: false, encryption: p.encryption.map((e) => e.value), integrity, prf, groups: p.groups.map((g) => g.value), aead };
  });
  if (!draft.proposals.has('default')) {
    proposals.push({ name: 'default', line: 0, builtIn: true, ...DEFAULT_PROPOSAL, integrity: [], aead: true });
  }
  return proposals;
}

function resolvePolicies(draft: ConfigDraft, proposals: readonly Proposal[]): Policy[] {
  const byName = (name: string) => need(proposals.find((p) => p.name === name), `proposal ${name}`);
  if (draft.policies.size === 0) {
    return [{ name: 'default', line: 0, builtIn: true, proposals: [byName('default')], matchAddressLocal: [] }];
  }
  return [...draft.policies.values()].map((p) => ({
    name: p.name,
    line: p.line,
    builtIn: false,
    proposals: p.proposals.map((x) => byName(x.value)),
    matchAddressLocal: p.matchAddressLocal.map((a) => a.value),
  }));
}

function resolveIpsec(draft: ConfigDraft): { transformSets: TransformSet[]; profiles: IpsecProfile[] } {
  const transformSets: TransformSet[] = [...draft.transformSets.values()].map((t) => {
    const encryption = need(t.encryption, `encryption of transform set ${t.name}`);
    return { name: t.name, line: t.line, builtIn: false, encryption: encryption.algorithm, keyLength: encryption.keyLength, integrity: t.integrity ?? null, mode: t.mode?.value ?? IPSEC.mode };
  });
  const builtIns: TransformSet[] = DEFAULT_TRANSFORM_SETS.map((t) => ({ ...t, line: 0, builtIn: true, mode: IPSEC.mode }));
  let usesBuiltIns = false;
  const profiles: IpsecProfile[] = [...draft.ipsecProfiles.values()].map((p) => {
    const names = p.transformSets?.value;
    if (names === undefined) usesBuiltIns = true;
    return {
      name: p.name,
      line: p.line,
      builtIn: false,
      transformSets: names === undefined ? builtIns : names.map((n) => need(transformSets.find((t) => t.name === n), `transform set ${n}`)),
      ikev2ProfileName: p.ikev2Profile?.value ?? null,
      lifetimeSeconds: p.lifetimeSeconds?.value ?? IPSEC.lifetimeSeconds,
      lifetimeKilobytes: p.lifetimeKilobytes === undefined ? IPSEC.lifetimeKilobytes : p.lifetimeKilobytes.value,
      pfs: p.pfs === undefined ? IPSEC.pfs : p.pfs.value,
    };
  });
  if (!draft.ipsecProfiles.has('default')) {
    usesBuiltIns = true;
    profiles.push({
      name: 'default',
      line: 0,
      builtIn: true,
      transformSets: builtIns,
      ikev2ProfileName: null,
      lifetimeSeconds: IPSEC.lifetimeSeconds,
      lifetimeKilobytes: IPSEC.lifetimeKilobytes,
      pfs: IPSEC.pfs,
    });
  }
  return { transformSets: usesBuiltIns ? [...transformSets, ...builtIns] : transformSets, profiles };
}

function resolvePools(draft: ConfigDraft): { ipv4: Ipv4Pool[]; ipv6: Ipv6Pool[] } {
  return {
    ipv4: [...draft.ipv4Pools.values()].map((p) => ({
      name: p.name,
      line: p.line,
      ranges: p.ranges.map((r) => ({ start: formatIpv4(r.value.start), end: formatIpv4(r.value.end), size: r.value.end - r.value.start + 1, line: r.line })),
    })),
    ipv6: [...draft.ipv6Pools.values()].map((p) => ({
      name: p.value.name,
      line: p.line,
      prefix: p.value.prefix,
      prefixLength: p.value.prefixLength,
      assignedLength: p.value.assignedLength,
    })),
  };
}

function resolveAuthorizationPolicies(draft: ConfigDraft, pools: { ipv4: Ipv4Pool[]; ipv6: Ipv6Pool[] }): AuthorizationPolicy[] {
  const policies: AuthorizationPolicy[] = [...draft.authorizationPolicies.values()].map((p) => ({
    name: p.name,
    line: p.line,
    builtIn: false,
    ipv4Pool: p.pool === undefined ? null : need(pools.ipv4.find((x) => x.name === p.pool?.value), `pool ${p.pool.value}`),
    ipv6Pool: p.ipv6Pool === undefined ? null : need(pools.ipv6.find((x) => x.name === p.ipv6Pool?.value), `ipv6 pool ${p.ipv6Pool.value}`),
    dns: p.dns.map((d) => d.value),
    netmask: p.netmask?.value ?? null,
  }));
  const defaultNeeded = [...draft.profiles.values()].some((p) => p.authorization.some((a) => (a.value.policy ?? 'default') === 'default'));
  if (defaultNeeded && !draft.authorizationPolicies.has('default')) {
    // IOS has a built-in, empty default authorization policy.
    policies.push({ name: 'default', line: 0, builtIn: true, ipv4Pool: null, ipv6Pool: null, dns: [], netmask: null });
  }
  return policies;
}

function resolveProfile(
  p: ProfileDraft,
  draft: ConfigDraft,
  keyrings: readonly Keyring[],
  trustpoints: readonly Trustpoint[],
  authorizationPolicies: readonly AuthorizationPolicy[],
  ipsecProfiles: readonly IpsecProfile[],
): Ikev2Profile {
  const childSa = ipsecProfiles.find((x) => x.ikev2ProfileName === p.name) ?? need(ipsecProfiles.find((x) => x.name === 'default'), 'ipsec profile default');
  const globalDpd = draft.dpd?.value ?? null;
  const globalNat = draft.natKeepalive?.value ?? null;
  return {
    name: p.name,
    line: p.line,
    matchIdentityRemote: p.matchIdentityRemote.map((m) => m.value),
    matchIdentityLocal: p.matchIdentityLocal.map((m) => m.value),
    matchAddressLocal: p.matchAddressLocal.map((a) => a.value),
    identityLocal: p.identityLocal?.value ?? null,
    authenticationLocal: need(p.authenticationLocal, `authentication local of ${p.name}`).value,
    authenticationRemote: p.authenticationRemote.map((a) => a.value),
    keyring: p.keyring === undefined ? null : need(keyrings.find((k) => k.name === p.keyring?.value), `keyring ${p.keyring.value}`),
    trustpoints: p.trustpoints.map((t) => ({ trustpoint: need(trustpoints.find((x) => x.name === t.value.name), `trustpoint ${t.value.name}`), use: t.value.use })),
    lifetimeSeconds: p.lifetime?.value ?? IKEV2.lifetimeSeconds,
    dpd: p.dpd?.value ?? globalDpd,
    natKeepaliveSeconds: p.natKeepalive?.value ?? globalNat,
    redirectGatewayAuth: p.redirectGatewayAuth?.value ?? draft.redirectGatewayAuth?.value ?? false,
    authorization: p.authorization.map((a) => ({
      scope: a.value.scope,
      list: a.value.list,
      policy: need(authorizationPolicies.find((x) => x.name === (a.value.policy ?? 'default')), `authorization policy ${a.value.policy ?? 'default'}`),
    })),
    childSa,
  };
}

function resolveListen(draft: ConfigDraft): ListenEndpoint[] {
  if (draft.listen.length === 0) {
    return [
      { address: '0.0.0.0', family: 4, port: IKEV2.port, natTPort: IKEV2.natTPort, line: 0 },
      { address: '::', family: 6, port: IKEV2.port, natTPort: IKEV2.natTPort, line: 0 },
    ];
  }
  return draft.listen.map((l) => ({ address: l.value.address, family: l.value.family, port: l.value.port ?? IKEV2.port, natTPort: l.value.natTPort ?? IKEV2.natTPort, line: l.line }));
}

export function resolve(draft: ConfigDraft, file: string, facts: ValidationFacts): IkelbConfig {
  const interfaces = [...draft.interfaces.values()].map(resolveInterface);
  const standbyGroups = interfaces.flatMap((i) => i.standby.groups);
  const pools = resolvePools(draft);
  const authorizationPolicies = resolveAuthorizationPolicies(draft, pools);
  const trustpoints: Trustpoint[] = [...draft.trustpoints.values()].map((t) => {
    const f = need(facts.trustpoints.get(t.name), `facts of trustpoint ${t.name}`);
    return {
      name: t.name,
      line: t.line,
      certificateFile: f.certificateFile,
      privateKeyFile: f.privateKeyFile,
      privateKeyType: f.privateKeyType,
      caCertificateFiles: f.caCertificateFiles,
      crlFile: f.crlFile,
      revocationCheck: t.revocationCheck?.value ?? REVOCATION_CHECK,
      subjectName: t.subjectName?.value ?? null,
    };
  });
  const keyrings: Keyring[] = [...draft.keyrings.values()].map((k) => ({
    name: k.name,
    line: k.line,
    peers: [...k.peers.values()].map((p) => ({
      name: p.name,
      line: p.line,
      description: p.description ?? null,
      address: p.address?.value ?? null,
      hostname: p.hostname?.value ?? null,
      identity: p.identity?.value ?? null,
      preSharedKey: { local: p.localKey?.value ?? null, remote: p.remoteKey?.value ?? null },
    })),
  }));
  const ipsec = resolveIpsec(draft);
  const proposals = resolveProposals(draft);
  const profiles = [...draft.profiles.values()].map((p) => resolveProfile(p, draft, keyrings, trustpoints, authorizationPolicies, ipsec.profiles));
  const clients: FlexvpnClient[] = [...draft.clients.values()].map((c) => ({
    name: c.name,
    line: c.line,
    peers: [...c.peers.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, p]) => ({ index, host: p.value.host, port: p.value.port ?? IKEV2.port, natTPort: p.value.natTPort ?? IKEV2.natTPort, line: p.line })),
    profile: need(profiles.find((p) => p.name === c.profile?.value), `profile of client ${c.name}`),
    peerReactivate: c.peerReactivate?.value ?? false,
    connect: c.connect?.value ?? CLIENT_CONNECT,
  }));
  const reconnectKeys = [...draft.reconnectKeys.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, k]) => ({ id, active: k.value.active, key: k.value.key, line: k.line }));

  return {
    file,
    hostname: draft.hostname?.value ?? HOSTNAME,
    interfaces,
    standbyGroups,
    ikev2: {
      listen: resolveListen(draft),
      cookieChallenge: draft.cookieChallenge?.value ?? null,
      limits: {
        maxInNegotiationSa: draft.maxInNegotiationSa?.value?.limit ?? null,
        maxInNegotiationDirection: draft.maxInNegotiationSa?.value?.direction ?? 'both',
        maxSa: draft.maxSa?.value ?? null,
      },
      dpd: draft.dpd?.value ?? null,
      natKeepaliveSeconds: draft.natKeepalive?.value ?? null,
      windowSize: draft.window?.value ?? IKEV2.windowSize,
      fragmentation: { enabled: draft.fragmentation?.value.enabled ?? false, mtu: draft.fragmentation?.value.mtu ?? IKEV2.fragmentationMtu },
      proposals,
      policies: resolvePolicies(draft, proposals),
      keyrings,
      profiles,
      authorizationPolicies,
      redirect: {
        client: {
          enabled: draft.redirectClient?.value.enabled ?? false,
          maxRedirects: draft.redirectClient?.value.maxRedirects ?? REDIRECT.maxRedirects,
        },
        gateway: {
          init: draft.redirectGatewayInit?.value ?? false,
          auth: draft.redirectGatewayAuth?.value ?? false,
          staticTargets: draft.redirectStatic.map((t) => ({ address: t.value.address, family: t.value.family, capacity: t.value.capacity ?? REDIRECT.staticCapacity, line: t.line })),
        },
      },
      reconnect: { keys: reconnectKeys, active: reconnectKeys.find((k) => k.active) ?? null },
      cluster: draft.cluster === undefined ? null : resolveCluster(draft.cluster, draft, standbyGroups),
      clients,
    },
    ipsec,
    pki: { trustpoints },
    pools,
    aaa: { newModel: draft.aaaNewModel?.value ?? false, authorizationNetworkLists: [...draft.aaaNetworkLists.keys()] },
  };
}
