// The one place where a daemon's components are put together, in start
// order (stopped in reverse). The cluster adds its HSRP and CLB components
// here, one line each, next to the UDP engine and the IKE gateway.
import type { IkelbConfig } from '../config/model';
import { createCryptoAdapter } from '../ike/crypto-adapter';
import { FlexvpnClient } from '../ike/flexvpn-client';
import { IkeGateway } from '../ike/gateway';
import { policyFromConfig, profileFrom } from '../ike/policy-from-config';
import { targetFrom } from '../ike/redirect';
import { StaticRedirectProvider, type RedirectProvider } from '../ike/redirect-provider';
import { codecWire } from '../ike/wire';
import type { Logger } from '../log';
import type { ListenAddress } from '../net/udp-engine';
import type { Component } from './component';
import { UdpEngineComponent } from './udp-engine-component';

export interface Assembly {
  readonly components: readonly Component[];
  readonly ike: IkeGateway;
  readonly udp: UdpEngineComponent;
}

export interface AssembleOptions {
  /** Overrides the redirect decision (the cluster's least-loaded choice). */
  readonly redirect?: RedirectProvider;
  /** Turns the native fast path off (every IKE datagram reaches TypeScript). */
  readonly fastPath?: boolean;
}

/** `crypto ikev2 listen` (default 0.0.0.0 and :: on 500/4500) as UDP engine sockets. */
export function listenAddresses(config: IkelbConfig): ListenAddress[] {
  return config.ikev2.listen.flatMap((l) => [
    { address: l.address, port: l.port },
    { address: l.address, port: l.natTPort, natt: true },
  ]);
}

function redirectProvider(config: IkelbConfig): RedirectProvider | undefined {
  const targets = config.ikev2.redirect.gateway.staticTargets.map((t) => targetFrom(t.address));
  const auth = config.ikev2.redirect.gateway.auth || config.ikev2.profiles.some((p) => p.redirectGatewayAuth);
  if (targets.length === 0 || !auth) return undefined;
  return new StaticRedirectProvider(targets, false, true);
}

function base(config: IkelbConfig, log: Logger, options: AssembleOptions): { udp: UdpEngineComponent; ike: IkeGateway } {
  const policy = policyFromConfig(config);
  const udp = new UdpEngineComponent({
    listen: listenAddresses(config),
    log: log.child({ component: 'udp' }),
    cookieThreshold: config.ikev2.cookieChallenge,
    ...(options.fastPath === undefined ? {} : { fastPath: options.fastPath }),
  });
  const redirect = options.redirect ?? redirectProvider(config);
  const ike = new IkeGateway({
    policy,
    crypto: createCryptoAdapter(),
    wire: codecWire,
    transport: udp.transport,
    log: log.child({ component: 'ike' }),
    ...(redirect === undefined ? {} : { redirect }),
  });
  return { udp, ike };
}

/** `ikelb gateway`: UDP engine, IKE gateway (cluster components go here). */
export function assembleGateway(config: IkelbConfig, log: Logger, options: AssembleOptions = {}): Assembly {
  const { udp, ike } = base(config, log, options);
  const components: Component[] = [
    udp,
    ike,
    // HSRP and CLB components are added here by the cluster.
  ];
  return { components, ike, udp };
}

/** `ikelb client`: UDP engine, IKE core, one FlexVPN client per `crypto ikev2 client flexvpn`. */
export function assembleClient(config: IkelbConfig, log: Logger, options: AssembleOptions = {}): Assembly & { readonly clients: readonly FlexvpnClient[] } {
  const { udp, ike } = base(config, log, options);
  const pools = new Map();
  const clients = config.ikev2.clients.map(
    (c) =>
      new FlexvpnClient({
        name: c.name,
        peers: c.peers.map((p) => ({ index: p.index, host: p.host.type === 'address' ? p.host.address : p.host.value, port: p.port, natTPort: p.natTPort })),
        profile: profileFrom(config, c.profile, pools),
        maxRedirects: config.ikev2.redirect.client.maxRedirects,
        core: ike.core,
        log: log.child({ component: 'flexvpn' }),
        localPort: config.ikev2.listen[0]?.port ?? 500,
        localNatTPort: config.ikev2.listen[0]?.natTPort ?? 4500,
      }),
  );
  return { components: [udp, ike, ...clients], ike, udp, clients };
}
