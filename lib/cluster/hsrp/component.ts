// HSRP as a daemon component: one speaker per configured standby group. On
// stop('signal') every active group sends Resign and releases its VIP before
// the process exits. Registers `show standby` on the control socket.
import type { ControlServer } from '../../control/server';
import type { Component } from '../../daemon/component';
import type { Logger } from '../../log';
import { resolveGroupOptions, type HsrpGroupOptions, type ResolvedGroupOptions } from './options';
import { showStandby } from './show-standby';
import { HsrpSpeaker } from './speaker';
import { realTimers, type Timers } from './timers';
import type { VipOwner } from './vip-owner';

export interface HsrpComponentOptions {
  readonly log: Logger;
  readonly timers?: Timers;
  /**
   * Who holds a group's VIP instead of the one its options name (undefined:
   * that one). The daemon gives loopback groups the UDP engine's owner, which
   * binds the IKE ports on the VIP while active.
   */
  readonly vipOwner?: (group: ResolvedGroupOptions, log: Logger) => VipOwner | undefined;
}

export class HsrpComponent implements Component {
  readonly name = 'hsrp';
  private readonly resolved;
  private readonly timers: Timers;
  private speakerList: HsrpSpeaker[] = [];

  constructor(
    groups: readonly HsrpGroupOptions[],
    private readonly options: HsrpComponentOptions,
  ) {
    this.resolved = groups.map(resolveGroupOptions); // config errors surface before start
    this.timers = options.timers ?? realTimers;
  }

  /** The running groups (for `show` and for the CLB primary, which follows HSRP). */
  get speakers(): readonly HsrpSpeaker[] {
    return this.speakerList;
  }

  async start(): Promise<void> {
    for (const group of this.resolved) {
      const log = this.options.log.child({ component: 'hsrp', interface: group.interface, group: group.group });
      const speaker = new HsrpSpeaker(group, this.timers, log, this.options.vipOwner?.(group, log));
      this.speakerList.push(speaker);
      await speaker.start();
    }
  }

  async stop(reason: 'signal' | 'error' | 'shutdown'): Promise<void> {
    for (const speaker of [...this.speakerList].reverse()) {
      try {
        await speaker.stop(reason);
      } catch (err) {
        this.options.log.error({ err }, 'HSRP group did not stop cleanly');
      }
    }
    this.speakerList = [];
  }

  registerCommands(control: ControlServer): void {
    control.register(['show', 'standby'], (args) => showStandby(this.speakerList, args, this.timers.now()));
  }
}
