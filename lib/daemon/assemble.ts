// The one place where a daemon's components are put together from the config,
// in start order (the daemon stops them in reverse):
//
//   gateway: data plane (UDP engine, fast path, target table)
//            -> IKE gateway (transport = the engine; half-open count -> cookie threshold)
//            -> HSRP (one speaker per standby group; on loopback the VIP is
//               "owned" by binding the IKE ports on it in the data plane)
//            -> CLB (follows the HSRP group of `standby-group`; its target
//               table is the engine's; its crypto load is the IKE SA count)
//   client:  data plane -> IKE core -> one FlexVPN client per `crypto ikev2 client flexvpn`
//
// Each config -> component mapping lives next to its component and is tested
// there: dataplaneOptionsFromConfig (lib/net), hsrpGroupsFrom
// (lib/cluster/hsrp), clusterOptionsFrom (lib/cluster/clb), policyFromConfig
// (lib/ike).
import { ClbComponent } from '../cluster/clb/clb-component';
import { clusterOptionsFrom } from '../cluster/clb/options-from-config';
import type { LoadSample } from '../cluster/clb/system-load';
import { ClusterRedirectProvider } from '../cluster/cluster-redirect-provider';
import { EngineVipOwner } from '../cluster/engine-vip-owner';
import { HsrpComponent } from '../cluster/hsrp/component';
import { hsrpGroupsFrom } from '../cluster/hsrp/options-from-config';
import { HsrpGroupRole } from '../cluster/hsrp-group-role';
import type { IkelbConfig } from '../config/model';
import { createCryptoAdapter } from '../ike/crypto-adapter';
import { FlexvpnClient, routeSourceAddress } from '../ike/flexvpn-client';
import { IkeGateway } from '../ike/gateway';
import { policyFromConfig, profileFrom } from '../ike/policy-from-config';
import { targetFrom } from '../ike/redirect';
import { StaticRedirectProvider, type RedirectProvider } from '../ike/redirect-provider';
import { codecWire } from '../ike/wire';
import type { Logger } from '../log';
import { DataplaneComponent } from '../net/dataplane-component';
import { dataplaneOptionsFromConfig } from '../net/dataplane-config';
import { addressFamily } from '../ip-address';
import type { Component } from './component';
import { FlexvpnStatus } from './flexvpn-status';

export interface Assembly {
  readonly components: readonly Component[];
  readonly ike: IkeGateway;
  readonly dataplane: DataplaneComponent;
  /** Present when the config has standby groups. */
  readonly hsrp?: HsrpComponent;
  /** Present with `crypto ikev2 cluster`. */
  readonly clb?: ClbComponent;
}

export interface AssembleOptions {
  /** Overrides the redirect decision (tests). */
  readonly redirect?: RedirectProvider;
  /** Turns the native fast path off (every IKE datagram reaches TypeScript). */
  readonly fastPath?: boolean;
  /** The I/O thread or the event loop drains the sockets (default: the thread). */
  readonly engineMode?: 'thread' | 'event-loop';
  /** CPU/memory figures the CLB reports instead of sampling /proc (tests). */
  readonly systemLoad?: () => LoadSample;
}

/** `crypto ikev2 redirect gateway static` + `redirect gateway auth`, without a cluster: round robin in IKE_AUTH. */
function staticRedirectProvider(config: IkelbConfig): RedirectProvider | undefined {
  const targets = config.ikev2.redirect.gateway.staticTargets.map((t) => targetFrom(t.address));
  const auth = config.ikev2.redirect.gateway.auth || config.ikev2.profiles.some((p) => p.redirectGatewayAuth);
  if (targets.length === 0 || !auth) return undefined;
  return new StaticRedirectProvider(targets, false, true);
}

function dataplaneFrom(config: IkelbConfig, log: Logger, options: AssembleOptions): DataplaneComponent {
  return new DataplaneComponent({
    ...dataplaneOptionsFromConfig(config, { log: log.child({ component: 'dataplane' }), ...(options.engineMode === undefined ? {} : { mode: options.engineMode }) }),
    ...(options.fastPath === undefined ? {} : { fastPath: options.fastPath }),
  });
}

function ikeGatewayFrom(config: IkelbConfig, log: Logger, dataplane: DataplaneComponent, redirect: RedirectProvider | undefined): IkeGateway {
  return new IkeGateway({
    policy: policyFromConfig(config),
    crypto: createCryptoAdapter(),
    wire: codecWire,
    transport: dataplane.transport,
    log: log.child({ component: 'ike' }),
    ...(redirect === undefined ? {} : { redirect }),
  });
}

/** `ikelb gateway`: data plane, IKE gateway, HSRP, CLB. */
export function assembleGateway(config: IkelbConfig, log: Logger, options: AssembleOptions = {}): Assembly {
  const dataplane = dataplaneFrom(config, log, options);
  const groups = hsrpGroupsFrom(config);
  const hsrp =
    groups.length === 0
      ? undefined
      : new HsrpComponent(groups, {
          log,
          // A loopback group cannot add its VIP to an interface: it binds the IKE ports on it instead.
          vipOwner: (group, groupLog) => (group.vipOwner === 'loopback' ? new EngineVipOwner(dataplane, groupLog) : undefined),
        });
  const clusterOptions = clusterOptionsFrom(config);
  let ike: IkeGateway | undefined;
  const clb =
    clusterOptions === null || hsrp === undefined
      ? undefined
      : new ClbComponent({
          cluster: clusterOptions,
          role: new HsrpGroupRole(clusterOptions.standbyGroup, hsrp),
          // Crypto load: established IKE SAs on this gateway.
          sessions: () => ike?.core.table.sessionCount ?? 0,
          sink: dataplane.targetSink,
          log,
          ...(options.systemLoad === undefined ? {} : { systemLoad: options.systemLoad }),
        });
  const redirect =
    options.redirect ??
    (clb !== undefined
      ? new ClusterRedirectProvider(clb, log.child({ component: 'redirect' }), { onInit: options.fastPath === false && config.ikev2.redirect.gateway.init })
      : staticRedirectProvider(config));
  ike = ikeGatewayFrom(config, log, dataplane, redirect);
  const components: Component[] = [dataplane, ike, ...(hsrp === undefined ? [] : [hsrp]), ...(clb === undefined ? [] : [clb])];
  return { components, ike, dataplane, ...(hsrp === undefined ? {} : { hsrp }), ...(clb === undefined ? {} : { clb }) };
}

/**
 * Our source address towards a peer: the listen address of its family when
 * the config binds a specific one (so the SA's local address is the one the
 * socket sends from), else whatever the kernel's routing picks.
 */
function sourceAddressFrom(config: IkelbConfig): (remote: string) => Promise<string> {
  return async (remote) => {
    const family = addressFamily(remote);
    const bound = config.ikev2.listen.find((l) => l.family === family && l.address !== '0.0.0.0' && l.address !== '::');
    return bound?.address ?? routeSourceAddress(remote);
  };
}

/** `ikelb client`: data plane, IKE core, one FlexVPN client per `crypto ikev2 client flexvpn`. */
export function assembleClient(config: IkelbConfig, log: Logger, options: AssembleOptions = {}): Assembly & { readonly clients: readonly FlexvpnClient[] } {
  const dataplane = dataplaneFrom(config, log, options);
  const ike = ikeGatewayFrom(config, log, dataplane, options.redirect);
  const pools = new Map();
  const sourceAddress = sourceAddressFrom(config);
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
        sourceAddress,
      }),
  );
  return { components: [dataplane, ike, new FlexvpnStatus(clients), ...clients], ike, dataplane, clients };
}
