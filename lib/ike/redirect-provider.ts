// Who decides where a client goes (RFC 5685). The IKE core asks a provider
// at the two points the RFC allows a gateway to redirect — IKE_SA_INIT
// (§4, before any state exists) and IKE_AUTH (§6, after the client's AUTH
// verified) — and encodes the answer itself (redirect.ts). Policy lives in
// the provider (the cluster's least-loaded choice, a static list, a test
// script); wire format lives in the core: strongSwan's redirect_provider
// model. A provider never sees key material.

/** A gateway identity a client can be sent to (RFC 5685 §8: GW Ident Type 1, 2 or 3). */
export type RedirectTarget =
  | { readonly type: 'ipv4'; readonly address: string }
  | { readonly type: 'ipv6'; readonly address: string }
  | { readonly type: 'fqdn'; readonly name: string };

/** The identities the client and this gateway authenticated with in IKE_AUTH. */
export interface AuthenticatedIds {
  /** The client's IDi, as text (e.g. `client1@example.com`, `192.0.2.1`). */
  readonly remote: string;
  readonly remoteType: string;
  /** This gateway's IDr, as text. */
  readonly local: string;
}

export interface ClientAddress {
  readonly address: string;
  readonly port: number;
}

export interface RedirectProvider {
  /**
   * Called for an IKE_SA_INIT request from a client that announced redirect
   * support (REDIRECT_SUPPORTED or REDIRECTED_FROM). Return a target to
   * answer with N(REDIRECT) and keep no state, or undefined to serve it here.
   * Must be cheap and synchronous: it runs before any DH work.
   */
  redirectOnInit?(client: ClientAddress): RedirectTarget | undefined;
  /**
   * Called after the client's AUTH verified, before the IKE_AUTH response is
   * built. A target makes the response carry N(REDIRECT) and no CHILD_SA
   * (RFC 5685 §6); the client then deletes the IKE SA itself.
   */
  redirectOnAuth?(ids: AuthenticatedIds, client: ClientAddress): RedirectTarget | undefined;
}

/** Redirects nobody: every client is served here. */
export const noRedirects: RedirectProvider = {};

/** Text of a target for logs and show output. */
export function targetText(target: RedirectTarget): string {
  return target.type === 'fqdn' ? target.name : target.address;
}

/**
 * Round-robin over a fixed list (`crypto ikev2 redirect gateway static ...`):
 * the IKE_AUTH redirect until the cluster's least-loaded choice drives it.
 * IKE_SA_INIT redirects are the UDP engine's fast path; `onInit` is only for
 * hosts without it.
 */
export class StaticRedirectProvider implements RedirectProvider {
  private next = 0;

  constructor(
    private readonly targets: readonly RedirectTarget[],
    private readonly onInit: boolean,
    private readonly onAuth: boolean,
  ) {}

  private pick(): RedirectTarget | undefined {
    const t = this.targets[this.next % Math.max(1, this.targets.length)];
    this.next++;
    return t;
  }

  redirectOnInit(): RedirectTarget | undefined {
    return this.onInit ? this.pick() : undefined;
  }

  redirectOnAuth(): RedirectTarget | undefined {
    return this.onAuth ? this.pick() : undefined;
  }
}
