// HSRP's VIP owner for gateways that cannot pre-bind the VIP: the loopback
// demo, where three gateway processes share one host and only one may bind
// 127.0.0.10 at a time. Becoming active opens the IKE ports on the VIP in the
// data plane (DataplaneComponent.serveAddress); leaving Active closes them.
// A bind that fails (the previous owner has not closed yet) is an error the
// speaker counts and retries while it stays active.
import { IkelbError } from '../errors';
import type { Logger } from '../log';
import type { DataplaneComponent } from '../net/dataplane-component';
import type { VipOwner } from './hsrp/vip-owner';

const quickAttempts = 10;
const quickRetryMs = 10;

export class EngineVipOwner implements VipOwner {
  readonly description = 'IKE ports bound on the VIP';

  constructor(
    private readonly dataplane: DataplaneComponent,
    private readonly log: Logger,
  ) {}

  /**
   * On a preempt the previous owner closes its sockets a moment after this
   * gateway became active (it must first hear the Coup): a few quick retries
   * bridge that without an error; the speaker retries beyond them.
   */
  async acquire(vip: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.dataplane.serveAddress(vip);
        break;
      } catch (err) {
        if (attempt >= quickAttempts) throw new IkelbError('IKELB_ERR_VIP', `cannot serve IKE on ${vip}: ${(err as Error).message}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, quickRetryMs));
      }
    }
    this.log.info({ vip }, 'virtual IP bound (IKE ports)');
  }

  refresh(): void {}

  announce(): void {}

  async release(vip: string): Promise<void> {
    if (!this.dataplane.servedAddresses.includes(vip)) return;
    this.dataplane.stopServing(vip);
    this.log.info({ vip }, 'virtual IP unbound (IKE ports)');
  }

  close(): void {}
}
