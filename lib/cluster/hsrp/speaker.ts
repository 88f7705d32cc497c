// The only I/O of an HSRP group: it owns the native channel (a packet socket on
// the interface, or a UDP socket for unicast peers), the link watch and the VIP
// owner, and wires them to the pure state machine: datagrams in -> decode (with
// the group's authentication) -> fsm.receive; fsm actions -> encode -> send,
// VIP acquire/release, gratuitous ARPs.
import { IkelbError } from '../../errors';
import type { Logger } from '../../log';
import { decodeHsrp, encodeHsrp, groupAddress, virtualMac } from './codec';
import { HsrpFsm, type FsmAction } from './fsm';
import { hsrpNative, type HsrpAuth, type NativeChannel, type NativeLinkInfo } from './hsrp-native';
import type { ResolvedGroupOptions } from './options';
import type { TimerHandle, Timers } from './timers';
import { InterfaceVipOwner, LoopbackVipOwner, type VipOwner } from './vip-owner';

export interface SpeakerCounters {
  vipErrors: number;
  sendErrors: number;
}

function macBytes(dotted: string): Buffer {
  return Buffer.from(dotted.replace(/\./g, ''), 'hex');
}

export class HsrpSpeaker {
  readonly fsm: HsrpFsm;
  readonly link: NativeLinkInfo;
  readonly localIp: string;
  readonly virtualMac: string;
  readonly counters: SpeakerCounters = { vipErrors: 0, sendErrors: 0 };
  private readonly channel: NativeChannel;
  private readonly linkWatch: { close(): void } | undefined;
  private readonly vipOwner: VipOwner;
  private readonly auth: HsrpAuth;
  private readonly ifaceMac: Buffer;
  private readonly vmac: Buffer;
  private readonly garpTimers = new Set<TimerHandle>();
  private vipQueue: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private ownsVip = false;
  private closed = false;

  /** `vipOwner` replaces the one options.vipOwner names (the daemon's engine owner on loopback). */
  constructor(
    readonly options: ResolvedGroupOptions,
    private readonly timers: Timers,
    private readonly log: Logger,
    vipOwner?: VipOwner,
  ) {
    const native = hsrpNative();
    this.link = native.queryLink(options.interface);
    const localIp = options.localIp ?? this.link.ipv4;
    if (localIp === null) {
      throw new IkelbError('IKELB_ERR_HSRP_CONFIG', `standby group ${options.group}: ${options.interface} has no IPv4 address`);
    }
    this.localIp = localIp;
    this.ifaceMac = macBytes(this.link.mac);
    this.virtualMac = virtualMac(options.version, options.group);
    this.vmac = macBytes(this.virtualMac);
    this.auth =
      options.auth.kind === 'md5'
        ? { kind: 'md5', key: options.auth.key, keyId: options.auth.keyId ?? 0, senderIp: localIp }
        : { kind: 'text', text: options.auth.text };
    this.fsm = new HsrpFsm(
      {
        group: options.group,
        version: options.version,
        priority: options.priority,
        preempt: options.preempt,
        preemptDelayMs: options.preemptDelayMs,
        helloMs: options.helloMs,
        holdMs: options.holdMs,
        vip: options.vip,
        localIp,
      },
      timers,
      (action) => this.perform(action),
      log,
    );
    const holdSeconds = Math.ceil((options.holdMs ?? 10_000) / 1000);
    this.vipOwner =
      vipOwner ??
      (options.vipOwner === 'loopback'
        ? new LoopbackVipOwner(options.loopbackProbePort, `${localIp}`, log)
        : new InterfaceVipOwner(this.link.ifindex, options.interface, this.ifaceMac, options.vipLeaseSeconds ?? Math.max(2, holdSeconds + 1), log));
    try {
      this.channel =
        options.unicastPeers.length > 0
          ? new native.HsrpChannel({ mode: 'udp', localIp, port: options.port, ttl: 64 }, (n) => this.onReadable(n))
          : new native.HsrpChannel({ mode: 'packet', ifindex: this.link.ifindex, group: groupAddress(options.version), port: options.port }, (n) =>
              this.onReadable(n),
            );
    } catch (err) {
      this.vipOwner.close();
      throw new IkelbError('IKELB_ERR_HSRP_IO', `standby group ${options.group} on ${options.interface}: ${(err as Error).message}`, { cause: err });
    }
    try {
      this.linkWatch = new native.HsrpLinkWatch(this.link.ifindex, (up, running, deleted) => this.onLink(up, running, deleted));
    } catch (err) {
      this.channel.close();
      this.vipOwner.close();
      throw new IkelbError('IKELB_ERR_HSRP_IO', `cannot watch ${options.interface}: ${(err as Error).message}`, { cause: err });
    }
  }

  get mode(): 'multicast' | 'unicast' {
    return this.options.unicastPeers.length > 0 ? 'unicast' : 'multicast';
  }

  get vipDescription(): string {
    return this.vipOwner.description;
  }

  /** Native I/O counters by name (read from shared memory, no call). */
  ioCounters(): Record<string, number> {
    const names = hsrpNative().constants.counterNames;
    const values = this.channel.counters;
    return Object.fromEntries(names.map((n, i) => [n, values[i] ?? 0]));
  }

  /** True while this group holds the VIP (acquired and not yet released). */
  get holdsVip(): boolean {
    return this.ownsVip;
  }

  /**
   * Calls `listener` after anything that may have changed the group's state,
   * active router or VIP ownership (a received batch, a state machine action,
   * a link change, stop). Listeners compare the state themselves. Returns the
   * unsubscribe function.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.log.error({ err }, 'HSRP change listener threw');
      }
    }
  }

  /** Starts the election when the link is up; removes a VIP a crashed predecessor left. */
  async start(): Promise<void> {
    const vip = this.options.vip;
    if (vip !== undefined) await this.vipOwner.release(vip).catch(() => undefined);
    if (this.link.running || this.options.vipOwner === 'loopback') this.fsm.enable();
    else this.log.warn({ interface: this.options.interface }, 'interface is down: waiting for it');
  }

  /** Resigns (when active), releases the VIP and closes every socket and timer. */
  async stop(reason: string): Promise<void> {
    if (this.closed) return;
    this.fsm.disable(reason);
    await this.vipQueue;
    this.closed = true;
    for (const h of this.garpTimers) this.timers.clearTimeout(h);
    this.garpTimers.clear();
    this.linkWatch?.close();
    this.channel.close();
    this.vipOwner.close();
    this.changed();
  }

  private onLink(up: boolean, running: boolean, deleted: boolean): void {
    if (this.closed) return;
    if (deleted || !up || !running) {
      if (this.fsm.state !== 'Initial') this.log.warn({ interface: this.options.interface, up, running, deleted }, 'interface down');
      this.fsm.disable('interface down');
    } else if (this.fsm.state === 'Initial') {
      this.log.info({ interface: this.options.interface }, 'interface up');
      this.fsm.enable();
    }
    this.changed();
  }

  private onReadable(count: number): void {
    const c = hsrpNative().constants;
    const slab = this.channel.slab;
    for (let i = 0; i < count; i++) {
      const base = i * c.slotSize;
      const length = slab.readUInt32LE(base + c.offsetofLength);
      const src = slab.readUInt32LE(base + c.offsetofSrcIp);
      const sourceIp = `${src >>> 24}.${(src >>> 16) & 255}.${(src >>> 8) & 255}.${src & 255}`;
      const result = decodeHsrp(slab, this.auth, base + c.offsetofPayload, length);
      this.fsm.receive({ sourceIp, result });
    }
    this.changed();
  }

  private perform(action: FsmAction): void {
    if (this.closed) return;
    this.act(action);
    this.changed();
  }

  private act(action: FsmAction): void {
    switch (action.type) {
      case 'send':
        this.send(action);
        if (action.opcode === 'Hello' && action.state === 'Active' && this.ownsVip) this.vipOwner.refresh(action.vip);
        break;
      case 'become-active':
        this.enqueueVip(() => this.acquire(action.vip));
        break;
      case 'leave-active':
        this.cancelAnnouncements();
        this.enqueueVip(async () => {
          this.ownsVip = false;
          await this.vipOwner.release(action.vip);
          this.changed();
        });
        break;
    }
  }

  private send(action: Extract<FsmAction, { type: 'send' }>): void {
    const payload = encodeHsrp(
      {
        version: this.options.version,
        group: this.options.group,
        opcode: action.opcode,
        state: action.state,
        priority: action.priority,
        helloMs: action.helloMs,
        holdMs: action.holdMs,
        vip: action.vip,
        identifier: this.ifaceMac,
      },
      this.auth,
    );
    if (this.mode === 'unicast') {
      for (const peer of this.options.unicastPeers) {
        if (this.channel.sendTo(peer, this.options.port, payload) !== 0) this.counters.sendErrors++;
      }
      return;
    }
    // The active router speaks from the virtual MAC (RFC 2281 §5), so switches learn where it is.
    const srcMac = action.state === 'Active' ? this.vmac : this.ifaceMac;
    const err = this.channel.sendMulticast(payload, srcMac, this.localIp, groupAddress(this.options.version), this.options.port);
    if (err !== 0) this.counters.sendErrors++;
  }

  /**
   * Owns the VIP, then announces it. A failure (another process still holds a
   * loopback VIP, rtnetlink refused) is counted and retried every hello while
   * this group stays active.
   */
  private async acquire(vip: string): Promise<void> {
    if (this.closed || this.fsm.state !== 'Active' || this.ownsVip) return;
    try {
      await this.vipOwner.acquire(vip);
    } catch (err) {
      this.counters.vipErrors++;
      this.log.error({ err }, 'virtual IP not acquired; retrying while active');
      const handle = this.timers.setTimeout(() => {
        this.garpTimers.delete(handle);
        this.enqueueVip(() => this.acquire(vip));
      }, Math.min(this.fsm.helloMs, 250));
      this.garpTimers.add(handle);
      return;
    }
    this.ownsVip = true;
    this.changed();
    this.announce(vip, this.options.garpCount);
  }

  /** Gratuitous ARPs: one now, the rest spaced, stopped if we leave Active. */
  private announce(vip: string, remaining: number): void {
    if (remaining <= 0 || !this.ownsVip || this.closed) return;
    this.vipOwner.announce(vip);
    if (remaining === 1) return;
    const handle = this.timers.setTimeout(() => {
      this.garpTimers.delete(handle);
      this.announce(vip, remaining - 1);
    }, this.options.garpIntervalMs);
    this.garpTimers.add(handle);
  }

  private cancelAnnouncements(): void {
    for (const h of this.garpTimers) this.timers.clearTimeout(h);
    this.garpTimers.clear();
  }

  /** VIP changes run one after another, in the order the state machine asked for them. */
  private enqueueVip(step: () => Promise<void>): void {
    this.vipQueue = this.vipQueue.then(step).catch((err: unknown) => {
      this.counters.vipErrors++;
      this.log.error({ err }, 'virtual IP change failed');
    });
  }
}
