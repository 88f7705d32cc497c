// Checks of interfaces and HSRP groups that need the whole interface block
// (the version may follow the groups) or the whole file (unique names and
// addresses).
import { HSRP } from './defaults';
import type { ConfigDraft, InterfaceDraft, StandbyGroupDraft } from './draft';
import { ipv4InSubnet } from './ip';
import type { Report } from './validate';

function subnetsOf(iface: InterfaceDraft): { value: number; prefixLength: number }[] {
  return [iface.ipv4, ...iface.ipv4Secondary].flatMap((a) => (a === undefined ? [] : [{ value: a.value.value, prefixLength: a.value.prefixLength }]));
}

function checkVirtualAddress(report: Report, iface: InterfaceDraft, address: { address: string; value: number }, line: number): void {
  const subnets = subnetsOf(iface);
  if (subnets.some((s) => s.value === address.value)) {
    report('error', line, `virtual IP ${address.address} is the interface's own address: HSRP needs a separate address`);
  } else if (subnets.length > 0 && !subnets.some((s) => ipv4InSubnet(address.value, s.value, s.prefixLength))) {
    report('error', line, `virtual IP ${address.address} is not in a subnet of interface ${iface.name}`);
  }
}

function checkGroup(report: Report, iface: InterfaceDraft, group: StandbyGroupDraft, version: 1 | 2): void {
  if (version === 1 && group.group > 255) {
    report('error', group.line, `HSRP group ${group.group} needs 'standby version 2' on ${iface.name} (version 1 groups are 0-255)`);
  }
  if (iface.ipv4 === undefined) {
    report('error', group.line, `HSRP needs an 'ip address' on interface ${iface.name}`);
  }
  if (group.virtualIp?.value != null) checkVirtualAddress(report, iface, group.virtualIp.value, group.virtualIp.line);
  for (const vip of group.secondaryVirtualIps) checkVirtualAddress(report, iface, vip.value, vip.line);
  for (const peer of group.unicastPeers) {
    if (subnetsOf(iface).some((s) => s.value === peer.value.value)) {
      report('error', peer.line, `unicast-peer ${peer.value.address} is this interface's own address`);
    }
  }
  const timers = group.timers;
  if (version === 1 && timers !== undefined && (timers.value.helloMs % 1000 !== 0 || timers.value.holdMs % 1000 !== 0)) {
    report('warning', timers.line, 'HSRP version 1 carries timers in whole seconds: other routers cannot learn millisecond timers from this one (use standby version 2)');
  }
}

export function validateInterfaces(draft: ConfigDraft, report: Report): void {
  const addresses = new Map<number, string>();
  const groupNames = new Map<string, number>();
  for (const iface of draft.interfaces.values()) {
    for (const a of [iface.ipv4, ...iface.ipv4Secondary]) {
      if (a === undefined) continue;
      const owner = addresses.get(a.value.value);
      if (owner !== undefined) report('error', a.line, `address ${a.value.address} is already configured on interface ${owner}`);
      else addresses.set(a.value.value, iface.name);
    }
    const version = iface.standbyVersion?.value ?? HSRP.version;
    for (const group of iface.standbyGroups.values()) {
      checkGroup(report, iface, group, version);
      const groupName = group.name?.value ?? HSRP.name(iface.name, group.group);
      const previous = groupNames.get(groupName);
      if (previous !== undefined) {
        report('error', group.name?.line ?? group.line, `standby group name '${groupName}' is already used on line ${previous}: names must be unique (the cluster's standby-group refers to one)`);
      } else groupNames.set(groupName, group.name?.line ?? group.line);
    }
  }
}
