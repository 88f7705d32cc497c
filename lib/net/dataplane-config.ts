// The data plane's settings from the parsed config: where the IKE sockets
// bind (`crypto ikev2 listen`, IKE and NAT-T port of each address), `crypto
// ikev2 redirect gateway init`, `crypto ikev2 cookie-challenge N` and the
// static target list (`crypto ikev2 redirect gateway static`). The gateway's
// own interface addresses mark a static entry that names this gateway as
// "serve locally" (the same list then works on every member).
import type { IkelbConfig } from '../config/model';
import type { DataplaneOptions } from './dataplane-component';

export function dataplaneOptionsFromConfig(
  config: IkelbConfig,
  extra: Partial<Pick<DataplaneOptions, 'mode' | 'log' | 'timers' | 'cookieRotationMs'>> = {},
): DataplaneOptions {
  const localAddresses = config.interfaces.flatMap((i) => [
    ...(i.ipv4 === null ? [] : [i.ipv4.address]),
    ...i.ipv4Secondary.map((a) => a.address),
    ...i.ipv6.map((a) => a.address),
  ]);
  return {
    ...extra,
    listen: config.ikev2.listen.flatMap((l) => [
      { address: l.address, port: l.port },
      { address: l.address, port: l.natTPort, natt: true },
    ]),
    redirectInit: config.ikev2.redirect.gateway.init,
    cookieChallenge: config.ikev2.cookieChallenge,
    staticTargets: config.ikev2.redirect.gateway.staticTargets.map((t) => ({ address: t.address, capacity: t.capacity })),
    localAddresses,
  };
}
