// Counters of the IKE core: exchanges by type and direction, errors by
// notify type (sent and received), drops by reason. Plain numbers in Maps,
// read by `show crypto ikev2 stats` and the metrics export. Every decision
// to drop or refuse increments exactly one counter next to it.

/** Why an inbound datagram was dropped without an answer. */
export type DropReason =
  | 'malformed' // the codec refused it
  | 'version' // major version not 2 (RFC 7296 §2.5)
  | 'unknown-spi' // no SA with that SPI (RFC 7296 §2.21.4)
  | 'spi-mismatch' // the peer's SPI does not match the SA
  | 'message-id-window' // request or response outside the window (RFC 7296 §2.3)
  | 'unexpected-response' // a response to a request we did not send
  | 'retransmit-in-progress' // a retransmission of a request we are still working on
  | 'icv' // integrity check failed (RFC 7296 §3.14: discard silently)
  | 'not-allowed-in-exchange' // payload rules (unprotected messages)
  | 'exchange-out-of-order' // e.g. IKE_AUTH before IKE_SA_INIT finished, CREATE_CHILD_SA before IKE_AUTH
  | 'unsupported-exchange'
  | 'bad-redirect' // REDIRECT whose nonce does not match Ni (RFC 5685 §4)
  | 'half-open-limit'
  | 'sa-limit'
  | 'busy' // too many messages queued for one SA
  | 'invalid-ke' // zero or out-of-range DH public value (RFC 7296 §5)
  | 'no-keys'; // encrypted message for an SA without keys

export class IkeStats {
  readonly received = new Map<string, number>();
  readonly sent = new Map<string, number>();
  readonly drops = new Map<DropReason, number>();
  readonly notifiesSent = new Map<number, number>();
  readonly notifiesReceived = new Map<number, number>();
  retransmitsSent = 0;
  retransmitsAnswered = 0;
  saEstablished = 0;
  saDeleted = 0;
  childEstablished = 0;
  childDeleted = 0;
  authFailures = 0;
  redirectsSent = 0;
  redirectsFollowed = 0;
  cookiesSent = 0;
  deadPeers = 0;
  halfOpenExpired = 0;

  /** The counter keys of an exchange, made once: no string built per message. */
  private readonly keys = new Map<string, readonly [request: string, response: string]>();

  private key(exchange: string, response: boolean): string {
    let pair = this.keys.get(exchange);
    if (pair === undefined) {
      pair = [`${exchange} request`, `${exchange} response`];
      // Names come from a fixed table (unknown exchanges as "exchange N"): bounded, but capped anyway.
      if (this.keys.size < 256) this.keys.set(exchange, pair);
    }
    return response ? pair[1] : pair[0];
  }

  countReceived(exchange: string, response: boolean): void {
    const key = this.key(exchange, response);
    this.received.set(key, (this.received.get(key) ?? 0) + 1);
  }

  countSent(exchange: string, response: boolean): void {
    const key = this.key(exchange, response);
    this.sent.set(key, (this.sent.get(key) ?? 0) + 1);
  }

  drop(reason: DropReason): void {
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + 1);
  }

  dropped(reason: DropReason): number {
    return this.drops.get(reason) ?? 0;
  }

  notifySent(type: number): void {
    this.notifiesSent.set(type, (this.notifiesSent.get(type) ?? 0) + 1);
  }

  notifyReceived(type: number): void {
    this.notifiesReceived.set(type, (this.notifiesReceived.get(type) ?? 0) + 1);
  }
}
