// In-process harness for the sans-I/O core: two (or more) IkeCores wired
// through an in-memory network with a virtual clock. Real codec, real
// crypto; only the sockets and the time are simulated, so retransmission,
// timeouts and collisions run in virtual time in milliseconds.
import { AddressPool } from '../../lib/ike/address-pool';
import { IkeCore, type Datagram } from '../../lib/ike/core';
import { createCryptoAdapter } from '../../lib/ike/crypto-adapter';
import type { IkeCrypto } from '../../lib/ike/crypto-port';
import type { SaEvent } from '../../lib/ike/events';
import { fqdnIdentity } from '../../lib/ike/identity';
import type { EspProposalPolicy, Identity, IkePolicy, IkeProposalPolicy, LocalAuth, ProfilePolicy, RemoteAuthKind } from '../../lib/ike/policy';
import type { RedirectProvider } from '../../lib/ike/redirect-provider';
import { anyIpv4 } from '../../lib/ike/traffic-selectors';
import { codecWire } from '../../lib/ike/wire';

export const gcm256x25519: IkeProposalPolicy = { name: 'default', encryption: [{ id: 20, keyLength: 256 }], integrity: [], prf: [5], groups: [31] };
export const espGcm256: EspProposalPolicy = { name: 'ts', encryption: { id: 20, keyLength: 256 }, integrity: undefined, mode: 'tunnel' };

export interface ProfileOptions {
  readonly name?: string;
  readonly psk?: string;
  readonly remotePsk?: string;
  readonly localId?: Identity;
  /** Identity text the profile accepts from the peer; undefined: any. */
  readonly acceptRemote?: string;
  readonly localAuth?: LocalAuth;
  readonly remoteAuth?: readonly RemoteAuthKind[];
  readonly pool?: AddressPool;
  readonly lifetimeMs?: number;
  readonly childLifetimeMs?: number;
  readonly pfs?: number | 'ike';
  readonly dpdMs?: number;
  readonly redirectOnAuth?: boolean;
  readonly esp?: readonly EspProposalPolicy[];
  readonly trust?: ProfilePolicy['trust'];
}

export function profile(o: ProfileOptions = {}): ProfilePolicy {
  const psk = Buffer.from(o.psk ?? 's3cret-psk');
  const remotePsk = Buffer.from(o.remotePsk ?? o.psk ?? 's3cret-psk');
  return {
    name: o.name ?? 'test',
    matches: (peer) => o.acceptRemote === undefined || peer.id.text === o.acceptRemote,
    localId: o.localId,
    localAuth: o.localAuth ?? { kind: 'psk' },
    localPsk: () => psk,
    remoteAuth: o.remoteAuth ?? ['psk'],
    remotePsk: () => remotePsk,
    trust: o.trust,
    lifetimeMs: o.lifetimeMs ?? 86_400_000,
    dpd: o.dpdMs === undefined ? undefined : { intervalMs: o.dpdMs, retryMs: 2000, periodic: true },
    natKeepaliveMs: undefined,
    redirectOnAuth: o.redirectOnAuth ?? false,
    cp: { pool: o.pool, dns: ['198.51.100.53'], netmask: undefined },
    child: { proposals: o.esp ?? [espGcm256], lifetimeMs: o.childLifetimeMs ?? 3_600_000, pfs: o.pfs, localTs: [anyIpv4], remoteTs: [anyIpv4] },
  };
}

export function policy(p: Partial<IkePolicy> & { profiles: readonly ProfilePolicy[] }): IkePolicy {
  return {
    proposals: [gcm256x25519],
    cookieThreshold: undefined,
    maxHalfOpen: undefined,
    maxSa: undefined,
    halfOpenTimeoutMs: 30_000,
    retransmit: { timeoutMs: 1000, base: 2, tries: 3 },
    redirectClient: true,
    ...p,
  };
}

/** Async crypto calls still running (DH and signatures on the pool): the network is not quiet before they end. */
let inflight = 0;

function counted<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    inflight++;
    try {
      return await fn(...args);
    } finally {
      // Let the caller's continuation (which may send) run before we count as quiet.
      setImmediate(() => inflight--);
    }
  };
}

let sharedCrypto: IkeCrypto | undefined;
export function crypto(): IkeCrypto {
  if (sharedCrypto === undefined) {
    const real = createCryptoAdapter();
    sharedCrypto = {
      ...real,
      dhRespond: counted(real.dhRespond),
      dhRespondWithKeys: counted(real.dhRespondWithKeys),
      dhGenerate: counted(real.dhGenerate),
      dhDerive: counted(real.dhDerive),
      sign: counted(real.sign),
      verify: counted(real.verify),
      verifyChain: counted(real.verifyChain),
    };
  }
  return sharedCrypto;
}

export interface Node {
  readonly name: string;
  readonly address: string;
  readonly core: IkeCore;
  readonly events: SaEvent[];
}

/** An in-memory network with a virtual clock. */
export class VirtualNet {
  now = 0;
  readonly nodes = new Map<string, Node>();
  private readonly queue: Datagram[] = [];
  /** Every datagram sent, in order (for assertions). */
  readonly log: Datagram[] = [];
  /** Return true to lose a datagram in flight. */
  lose: (dg: Datagram) => boolean = () => false;

  add(name: string, address: string, policyValue: IkePolicy, extra: { redirect?: RedirectProvider; cookies?: 'upstream' } = {}): Node {
    const events: SaEvent[] = [];
    const core = new IkeCore({
      policy: policyValue,
      crypto: crypto(),
      wire: codecWire,
      now: () => this.now,
      send: (dg) => {
        this.log.push(dg);
        if (!this.lose(dg)) this.queue.push(dg);
      },
      onEvent: (e) => events.push(e),
      ...(extra.redirect === undefined ? {} : { redirect: extra.redirect }),
      ...(extra.cookies === undefined ? {} : { cookies: extra.cookies }),
    });
    const node = { name, address, core, events };
    this.nodes.set(address, node);
    return node;
  }

  /** Injects a datagram as if `dg.local` had sent it to `dg.remote`. */
  inject(dg: Datagram): void {
    this.queue.push(dg);
  }

  /** Delivers queued datagrams (and what they cause) until the network is quiet. */
  async settle(maxDatagrams = 1000): Promise<void> {
    for (let n = 0; n < maxDatagrams; n++) {
      const dg = this.queue.shift();
      if (dg === undefined) {
        if (inflight === 0) return;
        // DH or signature jobs still running may send when they finish.
        await new Promise((r) => setImmediate(r));
        n--;
        continue;
      }
      // What one side sends from `local` to `remote` arrives at `remote` from `local`.
      const to = this.nodes.get(dg.remote.address);
      if (to !== undefined) await to.core.receive({ data: Buffer.from(dg.data), local: dg.remote, remote: dg.local });
    }
    throw new Error('network did not settle');
  }

  /** Moves the virtual clock and runs every due timer, then settles. */
  async advance(ms: number, step = 100): Promise<void> {
    const end = this.now + ms;
    while (this.now < end) {
      this.now = Math.min(end, this.now + step);
      for (const node of this.nodes.values()) node.core.tick();
      await this.settle();
    }
  }
}

export function clientIdentity(): Identity {
  return fqdnIdentity('client.example.com');
}

export function gatewayIdentity(): Identity {
  return fqdnIdentity('gw.example.com');
}
