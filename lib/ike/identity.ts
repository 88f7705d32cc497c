// IKE identities (RFC 7296 §3.5): building ours, reading the peer's, and the
// ID payload body the AUTH computation MACs (RestOfIDPayload, §2.15).
import net from 'node:net';
import { retainCopy } from '../arena';
import { IdType, PayloadType } from './constants';
import type { IdPayload } from './payloads';
import type { Identity } from './policy';
import { addressToBytes, bytesToAddress } from '../ip-address';

/** An ID_IPV4_ADDR / ID_IPV6_ADDR identity for an address. */
export function addressIdentity(address: string): Identity {
  const v4 = net.isIP(address) === 4;
  return { idType: v4 ? IdType.ID_IPV4_ADDR : IdType.ID_IPV6_ADDR, data: addressToBytes(address), text: address };
}

export function fqdnIdentity(name: string): Identity {
  return { idType: IdType.ID_FQDN, data: Buffer.from(name, 'ascii'), text: name };
}

export function emailIdentity(address: string): Identity {
  return { idType: IdType.ID_RFC822_ADDR, data: Buffer.from(address, 'ascii'), text: address };
}

export function keyIdIdentity(value: string): Identity {
  return { idType: IdType.ID_KEY_ID, data: Buffer.from(value, 'utf8'), text: value };
}

/** The text a network engineer reads for an identity of the wire. */
export function identityText(idType: number, data: Buffer): string {
  switch (idType) {
    case IdType.ID_IPV4_ADDR:
    case IdType.ID_IPV6_ADDR:
      return data.length === 4 || data.length === 16 ? bytesToAddress(data) : `<bad address ${data.toString('hex')}>`;
    case IdType.ID_FQDN:
    case IdType.ID_RFC822_ADDR:
      return printable(data.toString('latin1'));
    case IdType.ID_DER_ASN1_DN:
      return `DN:${data.toString('hex')}`;
    case IdType.ID_KEY_ID:
      return `keyid:${printable(data.toString('latin1'))}`;
    default:
      return `id${idType}:${data.toString('hex')}`;
  }
}

/** Control characters of hostile identities never reach a terminal or a log line raw. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A peer's identity from the wire. Its text is made on first use: a
 * successful handshake only compares idType and data, and the text (string
 * building and escaping) is for log lines, errors and `show`.
 */
class PeerIdentity implements Identity {
  private textCache: string | undefined = undefined;
  constructor(
    readonly idType: number,
    readonly data: Buffer,
  ) {}

  get text(): string {
    return (this.textCache ??= identityText(this.idType, this.data));
  }
}

/** The peer's identity, its bytes copied into a long-lived slab (kept for the SA's life, lib/arena.ts). */
export function identityFromPayload(p: IdPayload): Identity {
  return new PeerIdentity(p.idType, retainCopy(p.data));
}

export function idPayload(type: typeof PayloadType.IDi | typeof PayloadType.IDr, id: Identity): IdPayload {
  return { type, idType: id.idType, data: id.data };
}

/** RestOfIDPayload (RFC 7296 §2.15): ID Type, three reserved octets, the data. */
export function idBody(id: { readonly idType: number; readonly data: Buffer }): Buffer {
  // From Node's buffer pool (an AUTH input, short-lived): every octet is written below.
  const out = Buffer.allocUnsafe(4 + id.data.length);
  out[0] = id.idType;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  id.data.copy(out, 4);
  return out;
}
