// The CLB's view of HSRP (GroupRole, lib/cluster/clb/group-role.ts) over the
// speaker of the cluster's `standby-group`: this gateway is the CLB primary
// while its HSRP group is Active; subordinates connect to the group's VIP and
// re-home when the active router changes.
//
//   active         = the state machine is in Active
//   virtualAddress = the configured or learned VIP
//   activeAddress  = this gateway's own address when active, else the active
//                    router heard last (undefined while none is known)
//
// The speaker signals "something may have changed" after every received batch,
// state machine action and link change; the adapter compares the state once
// per microtask and emits one event for a real change: becameActive,
// becameNotActive, or activeAddressChanged (while not active).
import { IkelbError } from '../errors';
import type { GroupRole, GroupRoleEvent, GroupRoleState } from './clb/group-role';
import type { HsrpComponent } from './hsrp/component';
import type { HsrpSpeaker } from './hsrp/speaker';

const none: GroupRoleState = Object.freeze({ active: false, virtualAddress: undefined, activeAddress: undefined });

/** The GroupRole state of one speaker now. */
export function groupRoleStateOf(speaker: HsrpSpeaker): GroupRoleState {
  const fsm = speaker.fsm;
  const router = fsm.activeRouter;
  return Object.freeze({
    active: fsm.state === 'Active',
    virtualAddress: fsm.vip,
    activeAddress: router === 'local' ? speaker.localIp : router?.ip,
  });
}

function same(a: GroupRoleState, b: GroupRoleState): boolean {
  return a.active === b.active && a.virtualAddress === b.virtualAddress && a.activeAddress === b.activeAddress;
}

export class HsrpGroupRole implements GroupRole {
  /** `group`: the standby group's name (`standby N name NAME`, or IOS's default hsrp-<if>-<N>). */
  constructor(
    readonly group: string,
    private readonly hsrp: HsrpComponent,
  ) {}

  /** The running speaker of the group; undefined before HSRP started or after it stopped. */
  speaker(): HsrpSpeaker | undefined {
    return this.hsrp.speakers.find((s) => s.options.name === this.group);
  }

  state(): GroupRoleState {
    const speaker = this.speaker();
    return speaker === undefined ? none : groupRoleStateOf(speaker);
  }

  /** Needs HSRP started (the daemon starts it before the CLB). */
  subscribe(listener: (event: GroupRoleEvent) => void): () => void {
    const speaker = this.speaker();
    if (speaker === undefined) {
      throw new IkelbError('IKELB_ERR_CLB_ROLE', `HSRP group '${this.group}' is not running: start HSRP before the cluster`);
    }
    let last = this.state();
    let queued = false;
    let live = true;
    const check = (): void => {
      queued = false;
      if (!live) return;
      const next = this.state();
      if (same(last, next)) return;
      const type: GroupRoleEvent['type'] = next.active && !last.active ? 'becameActive' : !next.active && last.active ? 'becameNotActive' : 'activeAddressChanged';
      last = next;
      listener({ type, state: next });
    };
    const off = speaker.onChange(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(check);
    });
    return () => {
      live = false;
      off();
    };
  }
}
