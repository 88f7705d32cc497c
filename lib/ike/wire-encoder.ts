// Encoding for the IkeWire adapter (wire.ts): the state machines' payloads
// (payloads.ts) flattened into the codec's tape (layout: native/ike/tape.h)
// without the codec's public model in between (no hex SPIs, no address
// text). The words and byte strings go into reusable scratch arrays and
// native code (codecNative().encodeInto) writes the wire octets into a
// reusable output buffer; the caller gets one pooled copy of the result.
// Encoding is synchronous, so one encoder serves every call.
import { IkelbError } from '../errors';
import { encodeError, isEncodeFailure } from './codec';
import { codecNative } from './codec-native';
import { PayloadType, TransformAttribute } from './constants';
import type { Payload } from './payloads';
import type { OutHeader } from './wire-port';

/** Flattens a header and payloads.ts objects into reusable scratch and has native code encode them. */
export class WireEncoder {
  private words = new Uint32Array(1024);
  private n = 0;
  private blob = new Uint8Array(4096);
  private blobLength = 0;
  private out = Buffer.allocUnsafeSlow(8192);

  /** A whole message: the header and its (unencrypted) payloads. */
  encodeMessage(header: OutHeader, payloads: readonly Payload[]): Buffer {
    this.begin();
    this.spi(header.spiI, 'header.spiI');
    this.spi(header.spiR, 'header.spiR');
    this.push(2, 'header.majorVersion'); // RFC 7296 §3.1
    this.push(0, 'header.minorVersion');
    this.push(header.exchange, 'header.exchange');
    this.push((header.initiator ? 0x08 : 0) | (header.response ? 0x20 : 0), 'header.flags');
    this.push(header.messageId, 'header.messageId');
    this.payloads(payloads);
    return this.encode(true);
  }

  /** A payload chain for an SK payload's plaintext. */
  encodePayloads(payloads: readonly Payload[]): Buffer {
    this.begin();
    this.payloads(payloads);
    return this.encode(false);
  }

  private begin(): void {
    this.n = 0;
    this.blobLength = 0;
  }

  private fail(field: string, what: string): never {
    throw Object.assign(new IkelbError('IKELB_ERR_ENCODE', `invalid message object: ${field}: ${what}`), { field });
  }

  private push(v: number, field: string): void {
    // Integers 0..2^32-1 only; the native tape reader checks each word against its wire field.
    if (v >>> 0 !== v) this.fail(field, `expected an integer 0..4294967295, got ${String(v)}`);
    if (this.n === this.words.length) {
      const bigger = new Uint32Array(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[this.n++] = v;
  }

  /** Copies b into the blob and returns its offset there. */
  private copyIn(b: Uint8Array): number {
    const at = this.blobLength;
    if (b.length === 0) return at;
    if (at + b.length > this.blob.length) {
      const bigger = new Uint8Array(Math.max(this.blob.length * 2, at + b.length));
      bigger.set(this.blob.subarray(0, at));
      this.blob = bigger;
    }
    this.blob.set(b, at);
    this.blobLength = at + b.length;
    return at;
  }

  private bytes(b: unknown, field: string): void {
    if (!(b instanceof Uint8Array)) this.fail(field, 'expected a Buffer or Uint8Array');
    this.push(this.copyIn(b), field);
    this.push(b.length, field);
  }

  private spi(spi: unknown, field: string): void {
    if (!(spi instanceof Uint8Array) || spi.length !== 8) this.fail(field, 'expected 8 octets');
    this.push(this.copyIn(spi), field); // the header words carry the SPIs' offsets only
  }

  private payloads(list: readonly Payload[]): void {
    this.push(list.length, 'payloads');
    for (let i = 0; i < list.length; i++) this.payload(list[i] as Payload);
  }

  private payload(p: Payload): void {
    this.push(p.type, 'type');
    this.push(0, 'flags'); // not critical, reserved bits 0 (RFC 7296 §3.2)
    switch (p.type) {
      case PayloadType.SA:
        this.push(p.proposals.length, 'SA.proposals');
        for (const pr of p.proposals) {
          this.push(pr.number, 'proposal.number');
          this.push(pr.protocol, 'proposal.protocol');
          this.push(0, 'proposal.reserved');
          this.bytes(pr.spi, 'proposal.spi');
          this.push(pr.transforms.length, 'proposal.transforms');
          for (const t of pr.transforms) {
            this.push(t.type, 'transform.type');
            this.push(t.id, 'transform.id');
            this.push(0, 'transform.reserved1');
            this.push(0, 'transform.reserved2');
            if (t.keyLength === undefined) {
              this.push(0, 'transform.attributes');
            } else {
              this.push(1, 'transform.attributes');
              this.push(TransformAttribute.KEY_LENGTH, 'attribute.type');
              this.push(1, 'attribute.tv'); // RFC 7296 §3.3.5: TV form
              this.push(t.keyLength, 'transform.keyLength');
              this.push(this.blobLength, 'attribute.data');
              this.push(0, 'attribute.data');
            }
          }
        }
        return;
      case PayloadType.KE:
        this.push(p.group, 'KE.group');
        this.push(0, 'KE.reserved');
        this.bytes(p.data, 'KE.data');
        return;
      case PayloadType.IDi:
      case PayloadType.IDr:
        this.push(p.idType, 'ID.idType');
        this.push(0, 'ID.reserved');
        this.bytes(p.data, 'ID.data');
        return;
      case PayloadType.CERT:
      case PayloadType.CERTREQ:
        this.push(p.encoding, 'CERT.encoding');
        this.bytes(p.data, 'CERT.data');
        return;
      case PayloadType.AUTH:
        this.push(p.method, 'AUTH.method');
        this.push(0, 'AUTH.reserved');
        this.bytes(p.data, 'AUTH.data');
        return;
      case PayloadType.NONCE:
      case PayloadType.VENDOR_ID:
      case PayloadType.EAP:
        this.bytes(p.data, 'data');
        return;
      case PayloadType.NOTIFY:
        this.push(p.protocol, 'NOTIFY.protocol');
        this.push(p.notifyType, 'NOTIFY.notifyType');
        this.bytes(p.spi, 'NOTIFY.spi');
        this.bytes(p.data, 'NOTIFY.data');
        return;
      case PayloadType.DELETE: {
        const size = p.spis[0]?.length ?? (p.protocol === 1 ? 0 : 4); // RFC 7296 §3.11: none for IKE, 4 for ESP/AH
        this.push(p.protocol, 'DELETE.protocol');
        this.push(size, 'DELETE.spiSize');
        this.push(p.spis.length, 'DELETE.spis');
        const start = this.blobLength;
        for (const spi of p.spis) {
          if (!(spi instanceof Uint8Array) || spi.length !== size) this.fail('DELETE.spis', `expected SPIs of ${size} octets each`);
          this.copyIn(spi);
        }
        this.push(start, 'DELETE.spis');
        this.push(p.spis.length * size, 'DELETE.spis');
        return;
      }
      case PayloadType.TSi:
      case PayloadType.TSr:
        this.push(0, 'TS.reserved');
        this.push(p.selectors.length, 'TS.selectors');
        for (const s of p.selectors) {
          this.push(s.type, 'selector.type');
          this.push(s.protocol, 'selector.protocol');
          this.push(s.startPort, 'selector.startPort');
          this.push(s.endPort, 'selector.endPort');
          this.bytes(s.startAddress, 'selector.startAddress');
          this.bytes(s.endAddress, 'selector.endAddress');
        }
        return;
      case PayloadType.CP:
        this.push(p.cfgType, 'CP.cfgType');
        this.push(0, 'CP.reserved');
        this.push(p.attributes.length, 'CP.attributes');
        for (const a of p.attributes) {
          this.push(a.type, 'attribute.type');
          this.push(0, 'attribute.reservedBit');
          this.bytes(a.value, 'attribute.value');
        }
        return;
      default:
        this.fail('type', `no payload of type ${String((p as { type: unknown }).type)} is written here`);
    }
  }

  private encode(withHeader: boolean): Buffer {
    const native = codecNative();
    let r = native.encodeInto(this.words, this.n, this.blob, this.blobLength, withHeader, this.out);
    if (typeof r === 'number' && r < 0) {
      this.out = Buffer.allocUnsafeSlow(Math.max(-r, this.out.length * 2));
      r = native.encodeInto(this.words, this.n, this.blob, this.blobLength, withHeader, this.out);
    }
    if (isEncodeFailure(r)) throw encodeError(r);
    // One pooled copy: the scratch is reused by the next call.
    const result = Buffer.allocUnsafe(r);
    this.out.copy(result, 0, 0, r);
    return result;
  }
}
