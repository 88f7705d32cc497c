// The config model's HSRP groups (`standby ...` under an interface) -> the
// options of the HSRP component, one group each. The model carries every
// default already (RFC 2281 / IOS, lib/config/defaults.ts), so configured and
// default timers look alike here: ikelb runs the timers of its own config
// instead of learning them from the active router.
//
// Not mapped (the config accepts them, the speaker has no use for them yet):
// `standby ip ... secondary`, `preempt delay reload|sync` (only `minimum`),
// `standby use-bia` (ikelb always answers ARP for the VIP with the
// interface's own MAC; hellos still leave from the virtual MAC).
import type { IkelbConfig, StandbyGroup } from '../../config/model';
import type { HsrpGroupOptions } from './options';

export function hsrpGroupFrom(g: StandbyGroup): HsrpGroupOptions {
  return {
    interface: g.interface,
    group: g.group,
    version: g.version,
    ...(g.virtualIp === null ? {} : { vip: g.virtualIp }),
    priority: g.priority,
    preempt: g.preempt.enabled,
    preemptDelayMs: g.preempt.delayMinimumSeconds * 1000,
    helloMs: g.timers.helloMs,
    holdMs: g.timers.holdMs,
    auth: g.authentication.mode === 'md5' ? { kind: 'md5', key: g.authentication.key.reveal() } : { kind: 'text', text: g.authentication.key.reveal() },
    name: g.name,
    unicastPeers: g.unicastPeers,
    localIp: g.localAddress,
  };
}

/** Every configured standby group, in config order. */
export function hsrpGroupsFrom(config: IkelbConfig): HsrpGroupOptions[] {
  return config.standbyGroups.map(hsrpGroupFrom);
}
