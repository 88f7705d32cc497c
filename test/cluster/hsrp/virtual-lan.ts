// Routers on a virtual LAN in virtual time: each HsrpFsm's send actions are
// encoded by the real native codec (with its own authentication) and decoded
// by every other router with that router's authentication, as on a wire.
import { decodeHsrp, encodeHsrp, type HsrpAuth } from '../../../lib/cluster/hsrp/codec';
import { HsrpFsm, type FsmAction, type FsmConfig } from '../../../lib/cluster/hsrp/fsm';
import { VirtualClock } from '../../support/virtual-clock';

export interface VirtualRouter {
  readonly name: string;
  readonly fsm: HsrpFsm;
  readonly auth: HsrpAuth;
  readonly sent: { opcode: string; state: string; at: number }[];
  /** VIP ownership as the router's VipOwner would see it. */
  ownsVip: boolean;
  /** false: the router is cut off (killed), nothing it sends arrives and it hears nothing. */
  alive: boolean;
}

export class VirtualLan {
  readonly clock = new VirtualClock();
  readonly routers = new Map<string, VirtualRouter>();

  add(name: string, config: FsmConfig, auth: HsrpAuth = { kind: 'md5', key: 'cluster-secret' }): VirtualRouter {
    const sent: VirtualRouter['sent'] = [];
    const router: VirtualRouter = {
      name,
      auth,
      sent,
      ownsVip: false,
      alive: true,
      fsm: new HsrpFsm(config, this.clock, (action) => this.perform(router, config, action)),
    };
    this.routers.set(name, router);
    return router;
  }

  get(name: string): VirtualRouter {
    const r = this.routers.get(name);
    if (r === undefined) throw new Error(`no router ${name}`);
    return r;
  }

  /** Injects a datagram as if `sourceIp` had sent it. */
  inject(sourceIp: string, datagram: Buffer): void {
    for (const r of this.routers.values()) {
      if (r.alive) r.fsm.receive({ sourceIp, result: decodeHsrp(datagram, r.auth) });
    }
  }

  actives(): string[] {
    return [...this.routers.values()].filter((r) => r.alive && r.fsm.state === 'Active').map((r) => r.name);
  }

  private perform(router: VirtualRouter, config: FsmConfig, action: FsmAction): void {
    if (action.type === 'become-active') {
      router.ownsVip = true;
      return;
    }
    if (action.type === 'leave-active') {
      router.ownsVip = false;
      return;
    }
    router.sent.push({ opcode: action.opcode, state: action.state, at: this.clock.now() });
    if (!router.alive) return;
    const auth: HsrpAuth = router.auth.kind === 'md5' ? { ...router.auth, senderIp: config.localIp } : router.auth;
    const datagram = encodeHsrp({ version: config.version, group: config.group, ...action }, auth);
    // Deliver on the next virtual tick (never re-entering a state machine mid-transition).
    this.clock.setTimeout(() => {
      for (const other of this.routers.values()) {
        if (other === router || !other.alive) continue;
        other.fsm.receive({ sourceIp: config.localIp, result: decodeHsrp(datagram, other.auth) });
      }
    }, 0);
  }
}

export function gatewayConfig(n: 1 | 2 | 3, overrides: Partial<FsmConfig> = {}): FsmConfig {
  const priority = { 1: 110, 2: 105, 3: 100 }[n];
  return {
    group: 1,
    version: 2,
    priority,
    preempt: true,
    preemptDelayMs: 0,
    helloMs: 200,
    holdMs: 700,
    vip: '192.0.2.10',
    localIp: `192.0.2.${10 + n}`,
    ...overrides,
  };
}
