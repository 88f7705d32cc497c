// `crypto ikev2 redirect gateway auth` (or `redirect gateway auth` in a
// profile) in a cluster: after a client's AUTH verified, the primary asks the
// CLB for the least loaded gateway and, when that is another member, answers
// IKE_AUTH with N(REDIRECT) (RFC 5685 §6). Subordinates are never asked to
// choose (chooseRedirect() answers undefined there), so they serve locally.
// IKE_SA_INIT redirects are the fast path's (the engine's target table);
// redirectOnInit is offered only when the fast path is off.
import type { ClusterRedirectSource } from './cluster-redirect-source';
import type { Logger } from '../log';
import { targetFrom } from '../ike/redirect';
import type { RedirectProvider, RedirectTarget } from '../ike/redirect-provider';

export class ClusterRedirectProvider implements RedirectProvider {
  readonly redirectOnInit?: () => RedirectTarget | undefined;

  constructor(
    private readonly clb: ClusterRedirectSource,
    private readonly log: Logger,
    options: { readonly onInit: boolean },
  ) {
    if (options.onInit) this.redirectOnInit = () => this.choose('init');
  }

  redirectOnAuth(): RedirectTarget | undefined {
    return this.choose('auth');
  }

  private choose(where: 'init' | 'auth'): RedirectTarget | undefined {
    const decision = this.clb.chooseRedirect();
    if (decision === undefined || decision.kind !== 'redirect') return undefined;
    this.log.debug({ where, target: decision.target.address, score: decision.score }, 'cluster chose a redirect target');
    return targetFrom(decision.target.address);
  }
}
