// Checks of CHILD_SA settings: ipsec profiles → transform sets and IKEv2
// profiles, one ipsec profile per IKEv2 profile.
import type { ConfigDraft } from './draft';
import type { Report } from './validate';
import { missing } from './validate-ikev2';

export function validateIpsec(draft: ConfigDraft, report: Report): void {
  const claimedBy = new Map<string, { profile: string; line: number }>();
  const usedSets = new Set<string>();
  for (const profile of draft.ipsecProfiles.values()) {
    for (const setName of profile.transformSets?.value ?? []) {
      usedSets.add(setName);
      if (!draft.transformSets.has(setName)) report('error', profile.transformSets?.line ?? profile.line, missing('transform set', setName, draft.transformSets.keys()));
    }
    const ikev2 = profile.ikev2Profile;
    if (ikev2 === undefined) continue;
    if (!draft.profiles.has(ikev2.value)) {
      report('error', ikev2.line, missing('IKEv2 profile', ikev2.value, draft.profiles.keys()));
      continue;
    }
    const previous = claimedBy.get(ikev2.value);
    if (previous !== undefined) {
      report('error', ikev2.line, `IKEv2 profile ${ikev2.value} already takes its CHILD_SA settings from ipsec profile ${previous.profile} (line ${previous.line}): one per IKEv2 profile, as ikelb has no tunnel interfaces to tell them apart`);
    } else claimedBy.set(ikev2.value, { profile: profile.name, line: ikev2.line });
  }
  for (const set of draft.transformSets.values()) {
    if (!usedSets.has(set.name)) report('warning', set.line, `transform set ${set.name} is not used by any ipsec profile ('set transform-set ${set.name}')`);
  }
}
