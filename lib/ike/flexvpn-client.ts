// The FlexVPN-style initiator (`crypto ikev2 client flexvpn NAME`): keeps one
// IKE SA up to the first peer that answers (`peer 1..N` in order), follows
// RFC 5685 redirects — in IKE_SA_INIT (nonce checked by the core), in
// IKE_AUTH (after the gateway's AUTH verified) and for an established SA
// (make before break) — sending REDIRECTED_FROM to the new gateway, and
// stops following after `max-redirects` within 300 s (the loop guard).
import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import net from 'node:net';
import type { ControlServer } from '../control/server';
import type { Component } from '../daemon/component';
import type { Logger } from '../log';
import type { IkeCore } from './core';
import type { SaEvent } from './events';
import type { Endpoint, IkeSa } from './ike-sa';
import type { ProfilePolicy } from './policy';
import { RedirectLoopGuard, redirectWindowMs } from './redirect-loop-guard';
import { targetText, type RedirectTarget } from './redirect-provider';
import { targetFrom } from './redirect';

export interface ClientPeer {
  readonly index: number;
  /** IP address or FQDN. */
  readonly host: string;
  readonly port: number;
  readonly natTPort: number;
}

export interface FlexvpnClientOptions {
  readonly name: string;
  readonly peers: readonly ClientPeer[];
  readonly profile: ProfilePolicy;
  readonly maxRedirects: number;
  readonly core: IkeCore;
  readonly log: Logger;
  /** Our IKE ports (default 500 / 4500). */
  readonly localPort?: number;
  readonly localNatTPort?: number;
  /** Where the first attempt after a failure round waits (doubles up to 60 s). */
  readonly retryMs?: number;
  /** Picks our source address towards a peer (default: ask the kernel's routing). */
  readonly sourceAddress?: (remote: string) => Promise<string>;
  /** Wall clock for the loop guard (default Date.now). */
  readonly now?: () => number;
}

export type ClientState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'stopped';

/** Asks the kernel which source address it would use towards `remote` (no packet is sent). */
export async function routeSourceAddress(remote: string): Promise<string> {
  const socket = dgram.createSocket(net.isIP(remote) === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(9, remote, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}

export class FlexvpnClient implements Component {
  readonly name: string;
  state: ClientState = 'idle';
  /** The IKE SA in use (or being set up). */
  current: IkeSa | undefined;
  /** A replacement being set up after an INFORMATIONAL redirect (make before break). */
  pending: IkeSa | undefined;
  peerIndex = 0;
  gateway: string | undefined;
  lastError: string | undefined;
  private readonly guard: RedirectLoopGuard;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private attempt = 0;
  private readonly now: () => number;

  constructor(private readonly options: FlexvpnClientOptions) {
    this.name = `flexvpn-${options.name}`;
    this.guard = new RedirectLoopGuard(options.maxRedirects, redirectWindowMs);
    this.retryMs = options.retryMs ?? 2000;
    this.now = options.now ?? Date.now;
    options.core.onEvent((e) => this.onEvent(e));
  }

  async start(): Promise<void> {
    this.state = 'connecting';
    this.peerIndex = 0;
    void this.connectToPeer();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  registerCommands(control: ControlServer): void {
    const words = ['show', 'crypto', 'ikev2', 'client', 'flexvpn'];
    const registered = control.commands().includes(words.join(' '));
    if (!registered) control.register(words, () => this.show());
  }

  show(): { text: string; data: unknown } {
    const peer = this.options.peers[this.peerIndex];
    const data = {
      profile: this.options.profile.name,
      client: this.options.name,
      state: this.state,
      peerIndex: peer?.index,
      peer: this.gateway ?? peer?.host,
      tunnelId: this.current?.id,
      virtualAddress: this.current?.virtualAddress,
      redirectsInWindow: this.guard.count(this.now()),
      maxRedirects: this.options.maxRedirects,
      lastError: this.lastError,
    };
    const stateWord = { idle: 'IDLE', connecting: 'CONNECTING', connected: 'ACTIVE', waiting: 'WAITING', stopped: 'STOPPED' }[this.state];
    const text = [
      `Profile : ${data.profile}`,
      `Current State: ${stateWord}`,
      `Peer : ${data.peer ?? 'none'}${data.peerIndex === undefined ? '' : ` (peer ${data.peerIndex})`}`,
      `Tunnel-id : ${data.tunnelId ?? 'none'}`,
      `Virtual address : ${data.virtualAddress ?? 'none'}`,
      `Redirects : ${data.redirectsInWindow} of ${data.maxRedirects} within 300 sec`,
      ...(data.lastError === undefined ? [] : [`Last error : ${data.lastError}`]),
    ].join('\n');
    return { text, data };
  }

  private async connectToPeer(): Promise<void> {
    if (this.state === 'stopped') return;
    const peer = this.options.peers[this.peerIndex];
    if (peer === undefined) return;
    let address: string;
    try {
      address = net.isIP(peer.host) !== 0 ? peer.host : (await dns.lookup(peer.host)).address;
    } catch (err) {
      this.failed(`cannot resolve peer ${peer.index} ${peer.host}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    await this.initiate({ address, port: peer.port }, peer.natTPort, undefined);
  }

  private async initiate(remote: Endpoint, natTPort: number, redirectedFrom: RedirectTarget | undefined, makeBeforeBreak = false): Promise<void> {
    if (this.state === 'stopped') return;
    let local: string;
    try {
      local = await (this.options.sourceAddress ?? routeSourceAddress)(remote.address);
    } catch (err) {
      this.failed(`no route to ${remote.address}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.gateway = remote.address;
    const sa = this.options.core.initiate({
      profile: this.options.profile,
      remote,
      local: { address: local, port: this.options.localPort ?? 500 },
      natTPorts: { local: this.options.localNatTPort ?? 4500, remote: natTPort },
      ...(redirectedFrom === undefined ? {} : { redirectedFrom }),
    });
    if (makeBeforeBreak) this.pending = sa;
    else this.current = sa;
    this.options.log.info({ client: this.options.name, sa: sa.id, peer: `${remote.address}:${remote.port}`, redirectedFrom: redirectedFrom === undefined ? undefined : targetText(redirectedFrom) }, 'initiating IKE SA');
  }

  private onEvent(e: SaEvent): void {
    if (this.state === 'stopped') return;
    const mine = e.sa === this.current;
    const replacement = e.sa === this.pending;
    if (!mine && !replacement) return;
    switch (e.kind) {
      case 'established':
        if (replacement) {
          // Make before break (RFC 5685 §5): the new SA is up, now the old one goes.
          const old = this.current;
          this.current = this.pending;
          this.pending = undefined;
          if (old !== undefined && !old.isDead()) this.options.core.deleteSa(old.id);
        }
        this.state = 'connected';
        this.attempt = 0;
        this.retryMs = this.options.retryMs ?? 2000;
        this.lastError = undefined;
        break;
      case 'rekeyed':
        if (mine) this.current = e.replacement;
        else this.pending = e.replacement;
        break;
      case 'redirected':
        this.redirected(e.sa, e.target, e.where, e.from);
        break;
      case 'failed':
        if (replacement) {
          this.pending = undefined;
          this.options.log.warn({ client: this.options.name, reason: e.reason }, 'redirect target failed; staying on the current gateway');
          return;
        }
        this.failed(e.reason);
        break;
      case 'deleted':
        if (replacement) {
          this.pending = undefined;
          return;
        }
        if (this.state === 'connected' && e.reason !== 'redirected') {
          this.options.log.warn({ client: this.options.name, reason: e.reason }, 'IKE SA lost; reconnecting');
          this.current = undefined;
          this.state = 'connecting';
          this.peerIndex = 0;
          this.schedule(this.retryMs);
        }
        break;
      default:
        break;
    }
  }

  private redirected(sa: IkeSa, target: RedirectTarget, where: 'init' | 'auth' | 'informational', from: Endpoint): void {
    if (!this.guard.allow(this.now())) {
      // strongSwan/libreswan behaviour: a redirect loop is an error, not followed.
      const reason = `redirect loop: only ${this.options.maxRedirects} redirects are allowed within 300 seconds`;
      this.options.log.warn({ client: this.options.name, sa: sa.id, target: targetText(target) }, reason);
      if (where === 'informational') return;
      this.failed(reason);
      return;
    }
    const peer = this.options.peers[this.peerIndex];
    const port = peer?.port ?? 500; // RFC 5685 carries no port: keep the peer's
    const natT = peer?.natTPort ?? 4500;
    const fromTarget = targetFrom(from.address);
    const go = async (): Promise<void> => {
      const address = target.type === 'fqdn' ? (await dns.lookup(target.name)).address : target.address;
      await this.initiate({ address, port }, natT, fromTarget, where === 'informational');
    };
    go().catch((err: unknown) => this.failed(`cannot follow redirect to ${targetText(target)}: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** This peer did not work: the next one, or after the last a pause and peer 1 again. */
  private failed(reason: string): void {
    this.lastError = reason;
    this.current = undefined;
    if (this.state === 'stopped') return;
    this.peerIndex++;
    if (this.peerIndex >= this.options.peers.length) {
      this.peerIndex = 0;
      this.attempt++;
      this.state = 'waiting';
      const delay = Math.min(60_000, this.retryMs * Math.pow(2, Math.min(this.attempt - 1, 5)));
      this.options.log.warn({ client: this.options.name, reason, retryInMs: delay }, 'no peer reachable; retrying');
      this.schedule(delay);
      return;
    }
    this.options.log.warn({ client: this.options.name, reason, next: this.options.peers[this.peerIndex]?.host }, 'peer failed; trying the next');
    this.state = 'connecting';
    void this.connectToPeer();
  }

  private schedule(delay: number): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.state = 'connecting';
      void this.connectToPeer();
    }, delay);
    this.retryTimer.unref?.();
  }
}
