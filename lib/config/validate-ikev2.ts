// Checks of the IKEv2 objects as IOS does them when a block is left (an
// incomplete proposal, a profile without authentication) plus every name
// reference between them (policy → proposal, profile → keyring, trustpoint,
// authorization policy → pool, client → profile).
import { ENCRYPTION } from './algorithms';
import { IKEV2 } from './defaults';
import { closest } from './diagnostics';
import type { At, ConfigDraft, ProfileDraft, ProposalDraft } from './draft';
import type { Report } from './validate';
import type { TrustpointFacts } from './validate-pki';

/** "no keyring named 'x' (did you mean 'y'?)" / "(none is configured)". */
export function missing(kind: string, name: string, known: Iterable<string>): string {
  const names = [...known];
  const suggestion = closest(name, names);
  const hint = suggestion !== undefined ? `did you mean '${suggestion}'?` : names.length === 0 ? `no ${kind} is configured` : `configured: ${names.join(', ')}`;
  return `no ${kind} is named '${name}' (${hint})`;
}

function validateProposal(proposal: ProposalDraft, report: Report): void {
  const where = `proposal ${proposal.name}`;
  if (proposal.encryption.length === 0) {
    report('error', proposal.line, `${where} is incomplete: it needs 'encryption'`);
    return;
  }
  const aead = proposal.encryption.filter((e) => ENCRYPTION[e.value].aead);
  const plain = proposal.encryption.filter((e) => !ENCRYPTION[e.value].aead);
  if (aead.length > 0 && plain.length > 0) {
    const later = aead[0] !== undefined && plain[0] !== undefined && aead[0].line > plain[0].line ? aead[0] : plain[0];
    report('error', later?.line ?? proposal.line, `${where} mixes aes-gcm with aes-cbc: put AEAD and non-AEAD algorithms in separate proposals (as IOS requires)`);
  } else if (aead.length > 0) {
    const integrity = proposal.integrity[0];
    if (integrity !== undefined) report('error', integrity.line, `${where} uses aes-gcm, which authenticates by itself: remove 'integrity' (as IOS requires)`);
    if (proposal.prf.length === 0) report('error', proposal.line, `${where} uses aes-gcm and needs 'prf' (IOS derives the PRF from integrity, which AEAD proposals have none of)`);
  } else if (proposal.integrity.length === 0) {
    report('error', proposal.line, `${where} uses aes-cbc and needs 'integrity' (sha256, sha384 or sha512)`);
  }
  if (proposal.groups.length === 0) report('error', proposal.line, `${where} is incomplete: it needs 'group'`);
}

function validateProfile(draft: ConfigDraft, profile: ProfileDraft, trustpoints: Map<string, TrustpointFacts>, report: Report): void {
  const where = `profile ${profile.name}`;
  if (profile.matchIdentityRemote.length === 0) {
    report('error', profile.line, `${where} needs 'match identity remote ...' (IOS: a profile without a match statement is incomplete)`);
  }
  if (profile.authenticationLocal === undefined) report('error', profile.line, `${where} needs 'authentication local pre-share|rsa-sig|ecdsa-sig'`);
  if (profile.authenticationRemote.length === 0) report('error', profile.line, `${where} needs 'authentication remote pre-share|rsa-sig|ecdsa-sig'`);

  const keyring = profile.keyring;
  if (keyring !== undefined && !draft.keyrings.has(keyring.value)) report('error', keyring.line, missing('keyring', keyring.value, draft.keyrings.keys()));
  for (const tp of profile.trustpoints) {
    if (!draft.trustpoints.has(tp.value.name)) report('error', tp.line, missing('trustpoint', tp.value.name, draft.trustpoints.keys()));
  }

  const methods: [At<{ method: string; key?: unknown }>, 'local' | 'remote'][] = [
    ...(profile.authenticationLocal === undefined ? [] : [[profile.authenticationLocal, 'local'] as [At<{ method: string; key?: unknown }>, 'local']]),
    ...profile.authenticationRemote.map((m) => [m, 'remote'] as [At<{ method: string; key?: unknown }>, 'remote']),
  ];
  for (const [auth, side] of methods) {
    const { method } = auth.value;
    if (method === 'pre-share') {
      if (auth.value.key == null && keyring === undefined) {
        report('error', auth.line, `authentication ${side} pre-share needs a key: 'authentication ${side} pre-share key KEY' or 'keyring local NAME'`);
      }
      continue;
    }
    const wanted = side === 'local' ? 'sign' : 'verify';
    const usable = profile.trustpoints.filter((tp) => tp.value.use === wanted || tp.value.use === 'both').map((tp) => trustpoints.get(tp.value.name));
    if (usable.length === 0) {
      report('error', auth.line, `authentication ${side} ${method} needs 'pki trustpoint NAME${side === 'local' ? ' [sign]' : ' [verify]'}' in ${where}`);
      continue;
    }
    if (side === 'local') {
      const keyType = method === 'rsa-sig' ? 'rsa' : 'ec';
      if (!usable.some((tp) => tp !== undefined && tp.canSign && tp.privateKeyType === keyType)) {
        report('error', auth.line, `authentication local ${method} needs a trustpoint with a certificate and a matching ${keyType === 'rsa' ? 'RSA' : 'ECDSA'} private key`);
      }
    } else if (!usable.some((tp) => tp !== undefined && tp.canVerify)) {
      report('error', auth.line, `authentication remote ${method} needs a trustpoint with a 'ca-certificate file' to verify the peer`);
    }
  }
  if (profile.identityLocal?.value.type === 'dn' && !profile.trustpoints.some((tp) => trustpoints.get(tp.value.name)?.canSign === true)) {
    report('error', profile.identityLocal.line, "identity local dn needs a trustpoint with a certificate (its subject is the identity)");
  }

  for (const authz of profile.authorization) {
    if (!draft.aaaNetworkLists.has(authz.value.list)) {
      report('error', authz.line, `AAA list '${authz.value.list}' is not defined: add 'aaa authorization network ${authz.value.list} local'`);
    }
    const policy = authz.value.policy;
    if (policy !== null && policy !== 'default' && !draft.authorizationPolicies.has(policy)) {
      report('error', authz.line, missing('authorization policy', policy, draft.authorizationPolicies.keys()));
    }
  }
}

function validateListen(draft: ConfigDraft, report: Report): void {
  const seen = new Map<string, number>();
  for (const entry of draft.listen) {
    const port = entry.value.port ?? IKEV2.port;
    const natTPort = entry.value.natTPort ?? IKEV2.natTPort;
    if (port === natTPort) report('error', entry.line, `port and nat-t-port are both ${port}: IKE and NAT-T need two ports (RFC 3948 §2.2)`);
    for (const p of [port, natTPort]) {
      const key = `${entry.value.address}/${p}`;
      const previous = seen.get(key);
      if (previous !== undefined && previous !== entry.line) report('error', entry.line, `${entry.value.address} port ${p} is already bound by line ${previous}`);
      else seen.set(key, entry.line);
    }
  }
}

export function validateIkev2(draft: ConfigDraft, trustpoints: Map<string, TrustpointFacts>, report: Report): void {
  validateListen(draft, report);
  for (const proposal of draft.proposals.values()) validateProposal(proposal, report);

  const usedProposals = new Set<string>();
  for (const policy of draft.policies.values()) {
    if (policy.proposals.length === 0) report('error', policy.line, `policy ${policy.name} is incomplete: it needs 'proposal NAME'`);
    for (const p of policy.proposals) {
      usedProposals.add(p.value);
      if (p.value !== 'default' && !draft.proposals.has(p.value)) report('error', p.line, missing('proposal', p.value, draft.proposals.keys()));
    }
  }
  if (draft.policies.size === 0) usedProposals.add('default');
  for (const proposal of draft.proposals.values()) {
    if (!usedProposals.has(proposal.name)) {
      const why = draft.policies.size === 0 ? "without a 'crypto ikev2 policy' only proposal 'default' is used (IOS)" : 'no policy names it';
      report('warning', proposal.line, `proposal ${proposal.name} is never used: ${why}`);
    }
  }

  for (const keyring of draft.keyrings.values()) {
    if (keyring.peers.size === 0) report('error', keyring.line, `keyring ${keyring.name} has no peer`);
    for (const peer of keyring.peers.values()) {
      if (peer.localKey === undefined && peer.remoteKey === undefined) report('error', peer.line, `keyring peer ${peer.name} has no 'pre-shared-key'`);
      if (peer.address === undefined && peer.hostname === undefined && peer.identity === undefined) {
        report('error', peer.line, `keyring peer ${peer.name} matches nothing: give it 'address', 'hostname' or 'identity'`);
      }
    }
    const used = [...draft.profiles.values()].some((p) => p.keyring?.value === keyring.name);
    if (!used) report('warning', keyring.line, `keyring ${keyring.name} is not used by any profile ('keyring local ${keyring.name}')`);
  }

  for (const profile of draft.profiles.values()) validateProfile(draft, profile, trustpoints, report);

  for (const policy of draft.authorizationPolicies.values()) {
    if (policy.pool !== undefined && !draft.ipv4Pools.has(policy.pool.value)) report('error', policy.pool.line, missing('ip local pool', policy.pool.value, draft.ipv4Pools.keys()));
    if (policy.ipv6Pool !== undefined && !draft.ipv6Pools.has(policy.ipv6Pool.value)) {
      report('error', policy.ipv6Pool.line, missing('ipv6 local pool', policy.ipv6Pool.value, draft.ipv6Pools.keys()));
    }
  }

  for (const client of draft.clients.values()) {
    if (client.peers.size === 0) report('error', client.line, `client ${client.name} needs at least one 'peer N ADDRESS'`);
    if (client.profile === undefined) report('error', client.line, `client ${client.name} needs 'client connect profile NAME'`);
    else if (!draft.profiles.has(client.profile.value)) report('error', client.profile.line, missing('IKEv2 profile', client.profile.value, draft.profiles.keys()));
  }
}
