// Which payloads each exchange may carry, and how many: a data table checked
// before any exchange logic runs (strongSwan's message rules model). The
// counts are the RFC 7296 §1.2-§1.5 message layouts; the exchange handlers
// then check the combinations (IDi needs AUTH, a rekey needs N(REKEY_SA)).
// Whether a payload may stand outside SK is decided by the exchange: in
// IKE_SA_INIT nothing is encrypted, in every other exchange everything is.
import { ExchangeType, PayloadType } from './constants';

export interface PayloadRule {
  readonly type: number;
  readonly min: number;
  readonly max: number;
}

export interface MessageRules {
  readonly encrypted: boolean;
  readonly payloads: readonly PayloadRule[];
  /**
   * A message made only of notifies is accepted even when `min` says
   * otherwise (an error response such as N(NO_PROPOSAL_CHOSEN), §2.21).
   */
  readonly notifiesSuffice: boolean;
}

// Upper bounds that keep a hostile message from making us loop or allocate:
// generous for real peers, small for an attacker.
const maxNotifies = 32;
const maxVendorIds = 16;
const maxCerts = 8;
const maxCertReqs = 8;
const maxDeletes = 16;

const P = PayloadType;

function rules(encrypted: boolean, notifiesSuffice: boolean, payloads: [number, number, number][]): MessageRules {
  return { encrypted, notifiesSuffice, payloads: payloads.map(([type, min, max]) => ({ type, min, max })) };
}

/** RFC 7296 §1.2: HDR, SAi1, KEi, Ni [, N(...)] [, V]. */
const ikeSaInitRequest = rules(false, false, [
  [P.SA, 1, 1],
  [P.KE, 1, 1],
  [P.NONCE, 1, 1],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.2: HDR, SAr1, KEr, Nr, [CERTREQ] — or only notifies (COOKIE, INVALID_KE_PAYLOAD, REDIRECT, errors). */
const ikeSaInitResponse = rules(false, true, [
  [P.SA, 1, 1],
  [P.KE, 1, 1],
  [P.NONCE, 1, 1],
  [P.CERTREQ, 0, maxCertReqs],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.2, §2.16, §3.15: SK{IDi, [CERT+], [N(INITIAL_CONTACT)], [CERTREQ+], [IDr], AUTH, [CP], SAi2, TSi, TSr}. */
const ikeAuthRequest = rules(true, false, [
  [P.IDi, 1, 1],
  [P.CERT, 0, maxCerts],
  [P.CERTREQ, 0, maxCertReqs],
  [P.IDr, 0, 1],
  [P.AUTH, 0, 1], // absent only with EAP (§2.16), which the handler refuses
  [P.EAP, 0, 1],
  [P.CP, 0, 1],
  [P.SA, 0, 1],
  [P.TSi, 0, 1],
  [P.TSr, 0, 1],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.2: SK{IDr, [CERT+], AUTH, [CP], SAr2, TSi, TSr} — or only notifies (AUTHENTICATION_FAILED, §2.21.2). */
const ikeAuthResponse = rules(true, true, [
  [P.IDr, 1, 1],
  [P.CERT, 0, maxCerts],
  [P.AUTH, 1, 1],
  [P.EAP, 0, 1],
  [P.CP, 0, 1],
  [P.SA, 0, 1],
  [P.TSi, 0, 1],
  [P.TSr, 0, 1],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.3: SK{[N(REKEY_SA)], SA, Ni, [KEi], [TSi, TSr]}. */
const createChildSaRequest = rules(true, false, [
  [P.SA, 1, 1],
  [P.NONCE, 1, 1],
  [P.KE, 0, 1],
  [P.TSi, 0, 1],
  [P.TSr, 0, 1],
  [P.CP, 0, 1],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.3: SK{SA, Nr, [KEr], [TSi, TSr]} — or only notifies (NO_PROPOSAL_CHOSEN, TEMPORARY_FAILURE...). */
const createChildSaResponse = rules(true, true, [
  [P.SA, 1, 1],
  [P.NONCE, 1, 1],
  [P.KE, 0, 1],
  [P.TSi, 0, 1],
  [P.TSr, 0, 1],
  [P.CP, 0, 1],
  [P.NOTIFY, 0, maxNotifies],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

/** RFC 7296 §1.4: SK{[N,] [D,] [CP,] ...}; an empty one is a liveness check (§1.4, §2.4). */
const informational = rules(true, false, [
  [P.NOTIFY, 0, maxNotifies],
  [P.DELETE, 0, maxDeletes],
  [P.CP, 0, 1],
  [P.VENDOR_ID, 0, maxVendorIds],
]);

const table = new Map<number, { readonly request: MessageRules; readonly response: MessageRules }>([
  [ExchangeType.IKE_SA_INIT, { request: ikeSaInitRequest, response: ikeSaInitResponse }],
  [ExchangeType.IKE_AUTH, { request: ikeAuthRequest, response: ikeAuthResponse }],
  [ExchangeType.CREATE_CHILD_SA, { request: createChildSaRequest, response: createChildSaResponse }],
  [ExchangeType.INFORMATIONAL, { request: informational, response: informational }],
]);

/** The rules of an exchange we implement, or undefined for any other exchange type. */
export function rulesFor(exchange: number, response: boolean): MessageRules | undefined {
  const entry = table.get(exchange);
  return entry === undefined ? undefined : response ? entry.response : entry.request;
}

export type RuleViolation =
  | { readonly kind: 'not-allowed'; readonly payloadType: number }
  | { readonly kind: 'too-many'; readonly payloadType: number; readonly max: number }
  | { readonly kind: 'missing'; readonly payloadType: number };

/**
 * Checks the payload types of a (decrypted) message against its rules.
 * Returns the first violation, or undefined when the message conforms.
 */
export function checkPayloads(rules: MessageRules, types: readonly number[]): RuleViolation | undefined {
  const counts = new Map<number, number>();
  for (const type of types) {
    const rule = rules.payloads.find((r) => r.type === type);
    if (rule === undefined) return { kind: 'not-allowed', payloadType: type };
    const n = (counts.get(type) ?? 0) + 1;
    if (n > rule.max) return { kind: 'too-many', payloadType: type, max: rule.max };
    counts.set(type, n);
  }
  if (rules.notifiesSuffice && types.length > 0 && types.every((t) => t === PayloadType.NOTIFY)) return undefined;
  for (const rule of rules.payloads) {
    if ((counts.get(rule.type) ?? 0) < rule.min) return { kind: 'missing', payloadType: rule.type };
  }
  return undefined;
}

const payloadNames = new Map<number, string>(Object.entries(PayloadType).map(([name, value]) => [value, name]));
const exchangeNames = new Map<number, string>(Object.entries(ExchangeType).map(([name, value]) => [value, name]));

export function payloadName(type: number): string {
  return payloadNames.get(type) ?? `payload ${type}`;
}

export function exchangeName(type: number): string {
  return exchangeNames.get(type) ?? `exchange ${type}`;
}

export function violationText(v: RuleViolation, exchange: number, response: boolean): string {
  const where = `${exchangeName(exchange)} ${response ? 'response' : 'request'}`;
  switch (v.kind) {
    case 'not-allowed':
      return `${payloadName(v.payloadType)} is not allowed in an ${where}`;
    case 'too-many':
      return `more than ${v.max} ${payloadName(v.payloadType)} in an ${where}`;
    case 'missing':
      return `${payloadName(v.payloadType)} missing from an ${where}`;
  }
}
