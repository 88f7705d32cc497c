// The CLB primary: runs while this gateway is the HSRP active router. It
// listens on `port`, serves subordinate connections, keeps the member table
// (itself included, sampled every `slave update` ms) and publishes the
// redirect target table on every change.
//
// It listens only while active, not always-with-refusal: a gateway that is not
// the primary has no port open (less to attack), and a subordinate that still
// reaches it through a stale ARP entry for the VIP gets a reset at once and
// retries, instead of being accepted by a gateway that is no longer primary.
// The listener binds the unspecified address, so it does not race HSRP adding
// the VIP to the interface.
import net from 'node:net';
import { IkelbError } from '../../errors';
import type { Logger } from '../../log';
import { Ticker, type Clock } from './clock';
import { canonicalAddress } from '../../ip-address';
import type { ClusterKeys } from './keys';
import type { LlgPolicy } from './least-loaded';
import { MemberTable, type MemberView, type TableChange } from './member-table';
import type { LocalLoad } from './local-load';
import { Capability, type GoodbyeReasonName, type LoadMessage } from './messages';
import type { ClusterOptions } from './options';
import { PrimaryConnection, type HelloVerdict } from './primary-connection';
import type { RefusalCounter } from './refusals';

/** Cisco limits a cluster to 10 gateways; we allow more, but not unbounded. */
export const maxClusterMembers = 64;
/** Connections that have not said HELLO yet; past this, the oldest is dropped. */
export const maxPendingHandshakes = 16;

export interface PrimaryRoleOptions {
  readonly options: ClusterOptions;
  readonly keys: ClusterKeys;
  readonly policy: LlgPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly refusals: RefusalCounter;
  readonly local: LocalLoad;
  /** Called after every change of the table (publish targets, reset projections). */
  readonly onTableChange: (change: TableChange, address: string) => void;
  /** Handshake deadline; default: holdtime. */
  readonly handshakeTimeoutMs?: number;
}

export class PrimaryRole {
  readonly table: MemberTable;
  private readonly server: net.Server;
  private readonly connections = new Set<PrimaryConnection>();
  private readonly owners = new Map<string, PrimaryConnection>();
  private readonly localTicker: Ticker;
  private readonly localAddress: string;
  private listening = false;
  private stopped = false;

  constructor(private readonly o: PrimaryRoleOptions) {
    this.localAddress = canonicalAddress(o.options.localAddress);
    this.table = new MemberTable({
      clock: o.clock,
      holdtimeMs: o.options.holdtimeMs,
      policy: o.policy,
      onChange: (change, address) => o.onTableChange(change, address),
      onExpired: (address) => {
        o.log.warn({ member: address, holdtimeMs: o.options.holdtimeMs }, 'CLB member silent for holdtime: dead, removed from the table');
        const owner = this.owners.get(address);
        this.owners.delete(address);
        owner?.close('holdtimeExpired');
      },
    });
    this.server = net.createServer((socket) => this.accept(socket));
    this.localTicker = new Ticker(o.clock, o.options.updateMs, () => this.sampleLocal());
  }

  /** Starts listening and puts this gateway in its own table. */
  async start(): Promise<void> {
    this.sampleLocal();
    const { port, listenAddress } = this.o.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new IkelbError('IKELB_ERR_CLB_LISTEN', `CLB primary cannot listen on ${formatHostPort(listenAddress, port)}: ${err.code ?? err.message}`, { cause: err }));
      };
      this.server.once('error', onError);
      this.server.listen({ port, host: listenAddress, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.server.on('error', (err) => this.o.log.error({ err }, 'CLB listener error'));
    this.listening = true;
    this.localTicker.start();
    this.o.log.info({ listen: formatHostPort(listenAddress, port), address: this.localAddress }, 'CLB primary listening');
  }

  /** Says goodbye to every subordinate, stops listening and empties the table. */
  async stop(goodbye: GoodbyeReasonName): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.localTicker.stop();
    for (const connection of [...this.connections]) connection.close(goodbye);
    this.owners.clear();
    this.table.clear();
    if (this.listening) {
      this.listening = false;
      const started = this.o.clock.now();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.o.log.debug({ ms: this.o.clock.now() - started }, 'CLB primary listener closed');
    }
  }

  /** The port actually bound (differs from the option when it is 0, in tests). */
  port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.o.options.port;
  }

  members(): MemberView[] {
    return this.table.members();
  }

  connectionCount(): number {
    return this.connections.size;
  }

  /** Refreshes this gateway's own row now (also called every `slave update` ms). */
  sampleLocal(): void {
    const load = this.o.local.sample();
    this.table.setLocal(this.localAddress, { priority: load.priority, capabilities: Capability.redirectTarget, maxSession: load.maxSession }, load);
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (this.connections.size >= maxClusterMembers) {
      this.o.refusals.refuse('too-many-connections', peer, `${this.connections.size} connections open`);
      socket.destroy();
      return;
    }
    const pending = [...this.connections].filter((c) => c.state === 'await-open' || c.state === 'await-hello');
    if (pending.length >= maxPendingHandshakes) {
      // Drop the oldest half-open connection: a real subordinate finishes its
      // handshake in a round trip or two, an attacker holding slots does not.
      pending[0]?.refuse('too-many-connections', `${pending.length} handshakes pending; dropped the oldest for ${peer}`);
    }
    const connection = new PrimaryConnection({
      socket,
      keys: this.o.keys,
      clock: this.o.clock,
      handshakeTimeoutMs: this.o.handshakeTimeoutMs ?? this.o.options.holdtimeMs,
      refusals: this.o.refusals,
      log: this.o.log,
      handlers: {
        hello: (c, hello, first) => this.onHello(c, hello.address, first, () => this.table.hello(c.memberId ?? 0, hello)),
        load: (c, load) => this.onLoad(c, load),
        goodbye: (c, reason) => this.o.log.info({ member: c.address, reason }, 'CLB member said goodbye'),
        closed: (c) => this.onClosed(c),
      },
    });
    this.connections.add(connection);
  }

  private onHello(connection: PrimaryConnection, claimed: string, first: boolean, apply: () => boolean): HelloVerdict {
    const address = canonicalAddress(claimed);
    const allowed = this.o.options.allowedMembers;
    if (allowed.length > 0 && !allowed.some((a) => canonicalAddress(a) === address)) {
      return { accept: false, reason: 'member-not-allowed', detail: `${address} is not a configured member` };
    }
    if (address === this.localAddress) return { accept: false, reason: 'member-not-allowed', detail: `${address} is the primary's own address` };
    if (first) {
      if (!this.table.has(address) && this.table.size >= maxClusterMembers) {
        return { accept: false, reason: 'too-many-connections', detail: `the table holds ${this.table.size} members` };
      }
      const previous = this.owners.get(address);
      this.owners.set(address, connection);
      if (previous !== undefined && previous !== connection) {
        this.o.log.info({ member: address }, 'CLB member reconnected; closing its previous connection');
        previous.close('replaced');
      }
    } else if (this.owners.get(address) !== connection) {
      return { accept: false, reason: 'unknown-member', detail: `${address} is owned by another connection` };
    }
    if (apply()) this.o.log.info({ member: address, peer: connection.peer }, 'CLB member joined');
    this.answer(connection, address);
    return { accept: true };
  }

  private onLoad(connection: PrimaryConnection, load: LoadMessage): boolean {
    const address = connection.address === undefined ? undefined : canonicalAddress(connection.address);
    if (address === undefined || this.owners.get(address) !== connection) return false;
    if (!this.table.load(address, connection.memberId ?? 0, load)) return false;
    this.answer(connection, address);
    return true;
  }

  /** PRIMARY-INFO answers every HELLO and LOAD: the subordinate's liveness check and its view of itself. */
  private answer(connection: PrimaryConnection, address: string): void {
    const view = this.table.get(address);
    connection.sendPrimaryInfo({
      accepted: true,
      memberCount: this.table.size,
      yourState: view?.state ?? 'joining',
      yourScore: view?.score ?? 0,
      holdtimeMs: this.o.options.holdtimeMs,
      primaryAddress: this.localAddress,
    });
  }

  private onClosed(connection: PrimaryConnection): void {
    this.connections.delete(connection);
    const address = connection.address === undefined ? undefined : canonicalAddress(connection.address);
    if (address !== undefined && this.owners.get(address) === connection) {
      this.owners.delete(address);
      if (this.table.remove(address, connection.memberId)) {
        this.o.log.info({ member: address }, 'CLB member left (connection closed)');
      }
    }
  }
}

export function formatHostPort(host: string, port: number): string {
  return net.isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
