// Who holds the virtual IP. The speaker calls acquire() on becoming active,
// refresh() with every active hello, announce() for each gratuitous ARP, and
// release() on leaving active — the same calls whatever the implementation:
//
// - InterfaceVipOwner: the VIP is added to the interface (`ip addr` shows it)
//   over rtnetlink, as a /32 with a lifetime ("VIP lease") that every hello
//   renews, so a daemon killed with SIGKILL leaves no VIP behind for long.
//   Hosts reach it through the interface's own MAC (IOS `standby use-bia`
//   style): the kernel answers ARP for it, and our gratuitous ARPs move hosts'
//   caches on failover. This works on any Linux bridge or NIC without a second
//   unicast MAC. Hellos still leave from the virtual MAC.
// - LoopbackVipOwner: for the no-root demo on 127.0.0.x — it binds a UDP
//   socket on VIP:port that answers every datagram with the owner's name.
import dgram from 'node:dgram';
import { IkelbError } from '../../errors';
import type { Logger } from '../../log';
import { hsrpNative, type NativeChannel } from './hsrp-native';

export interface VipOwner {
  readonly description: string;
  acquire(vip: string): Promise<void>;
  refresh(vip: string): void;
  announce(vip: string): void;
  release(vip: string): Promise<void>;
  close(): void;
}

const EADDRNOTAVAIL = 99;
const ENOENT = 2;

export class InterfaceVipOwner implements VipOwner {
  private readonly arp: NativeChannel;
  readonly description: string;

  constructor(
    private readonly ifindex: number,
    private readonly ifname: string,
    private readonly mac: Buffer,
    private readonly leaseSeconds: number,
    private readonly log: Logger,
  ) {
    this.arp = new (hsrpNative().HsrpChannel)({ mode: 'packet', ifindex }, () => undefined);
    this.description = `${ifname} /32${leaseSeconds > 0 ? `, lease ${leaseSeconds} s` : ''}`;
  }

  async acquire(vip: string): Promise<void> {
    const err = hsrpNative().addAddress(this.ifindex, vip, 32, this.leaseSeconds);
    if (err !== 0) {
      throw new IkelbError('IKELB_ERR_VIP', `cannot add ${vip}/32 to ${this.ifname}: ${hsrpNative().errnoName(err)}`);
    }
    this.log.info({ vip, interface: this.ifname }, 'virtual IP added');
  }

  refresh(vip: string): void {
    if (this.leaseSeconds === 0) return;
    const err = hsrpNative().addAddress(this.ifindex, vip, 32, this.leaseSeconds);
    if (err !== 0) this.log.warn({ vip, error: hsrpNative().errnoName(err) }, 'virtual IP lease refresh failed');
  }

  announce(vip: string): void {
    const err = this.arp.sendGarp(this.mac, vip);
    if (err !== 0) this.log.warn({ vip, error: hsrpNative().errnoName(err) }, 'gratuitous ARP not sent');
  }

  async release(vip: string): Promise<void> {
    const err = hsrpNative().deleteAddress(this.ifindex, vip, 32);
    if (err !== 0 && err !== EADDRNOTAVAIL && err !== ENOENT) {
      throw new IkelbError('IKELB_ERR_VIP', `cannot remove ${vip}/32 from ${this.ifname}: ${hsrpNative().errnoName(err)}`);
    }
    if (err === 0) this.log.info({ vip, interface: this.ifname }, 'virtual IP removed');
  }

  close(): void {
    this.arp.close();
  }
}

export class LoopbackVipOwner implements VipOwner {
  private socket: dgram.Socket | undefined;
  readonly description: string;

  constructor(
    private readonly port: number,
    private readonly ownerName: string,
    private readonly log: Logger,
  ) {
    this.description = `loopback UDP ${port}`;
  }

  acquire(vip: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
      socket.once('error', (err) => {
        socket.close();
        reject(new IkelbError('IKELB_ERR_VIP', `cannot bind ${vip}:${this.port}: ${err.message}`));
      });
      socket.on('message', (_msg, from) => socket.send(this.ownerName, from.port, from.address));
      socket.bind(this.port, vip, () => {
        socket.removeAllListeners('error');
        socket.on('error', (err) => this.log.warn({ err }, 'loopback VIP socket error'));
        this.socket = socket;
        this.log.info({ vip, port: this.port }, 'virtual IP bound');
        resolve();
      });
    });
  }

  refresh(): void {}

  announce(): void {}

  release(vip: string): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return Promise.resolve();
    return new Promise((resolve) =>
      socket.close(() => {
        this.log.info({ vip }, 'virtual IP unbound');
        resolve();
      }),
    );
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }
}
