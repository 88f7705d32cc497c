// What the IKE core tells the world besides datagrams: SA lifecycle events
// for logs, metrics, the client policy and the data plane. Key material
// never travels in an event except `keymat` of child-installed, which only
// the data plane installer reads (and never logs).
import type { ChildSa, Endpoint, IkeSa } from './ike-sa';
import type { RedirectTarget } from './redirect-provider';

export type SaEvent =
  | { readonly kind: 'established'; readonly sa: IkeSa }
  | { readonly kind: 'child-installed'; readonly sa: IkeSa; readonly child: ChildSa; readonly rekeyOf: ChildSa | undefined }
  | { readonly kind: 'child-deleted'; readonly sa: IkeSa; readonly child: ChildSa; readonly reason: string }
  | { readonly kind: 'rekeyed'; readonly sa: IkeSa; readonly replacement: IkeSa }
  | { readonly kind: 'deleted'; readonly sa: IkeSa; readonly reason: string }
  /** An initiator's attempt failed before establishment: a notify from the peer, a timeout, an AUTH mismatch. */
  | { readonly kind: 'failed'; readonly sa: IkeSa; readonly reason: string; readonly notify: number | undefined }
  /** The peer (gateway) redirected us (client side, RFC 5685). */
  | { readonly kind: 'redirected'; readonly sa: IkeSa; readonly target: RedirectTarget; readonly where: 'init' | 'auth' | 'informational'; readonly from: Endpoint };

export type SaEventListener = (event: SaEvent) => void;
