// The message tape (layout: native/ike/tape.h) read into and written from the
// state machines' payload model (payloads.ts) directly: the hot path of the
// IkeWire adapter (wire.ts). lib/ike/tape.ts does the same for the codec's
// public model (hex SPIs, text addresses, every reserved field), which the
// state machines never need; going through it cost two object graphs, hex and
// address text both ways, and a Buffer of its own per message.
//
// Decoding: byte strings are subarrays of the buffer that was decoded. The
// core owns its datagrams (IkeCore.receive), so nothing is copied here.
// Encoding: the words and byte strings go into reusable scratch arrays and
// native code (codecNative().encodeInto) writes the wire octets into a
// reusable output buffer; the caller gets one pooled copy of the result.
// Everything is synchronous, so one set of scratch arrays serves every call.
import { IkelbError } from '../errors';
import { encodeError, isEncodeFailure } from './codec';
import { codecNative } from './codec-native';
import { PayloadType, TransformAttribute, TsType } from './constants';
import type { CpAttribute, Header, Payload, Proposal, Transform } from './payloads';
import type { TrafficSelector } from './traffic-selectors';
import type { OutHeader } from './wire-port';

const empty = Buffer.alloc(0);

// ---- reading ------------------------------------------------------------------

/** What a decode tape held, in the payload model. */
export interface TapePayloads {
  readonly payloads: Payload[];
  /** Types of the payloads in order (unknown ones and SK left out, SKF kept), as the exchange rules check them. */
  readonly types: number[];
  /** Index of the SK payload in the chain (unknown payloads counted), -1 when there is none. */
  readonly skIndex: number;
  /** SK's Next Payload: the type of the first payload inside it. */
  readonly skFirstType: number;
}

/** Reads a decode tape (native/ike/tape.h) into payloads.ts objects; byte strings are subarrays of `bytes`. */
export class WireTapeReader {
  private i = 0;
  private w: Uint32Array = new Uint32Array(0);
  private bytes: Buffer = empty;

  /** Starts reading `w`, whose offsets point into `bytes`. */
  reset(w: Uint32Array, bytes: Buffer): void {
    this.w = w;
    this.bytes = bytes;
    this.i = 0;
  }

  private n(): number {
    return this.w[this.i++] as number;
  }

  private buf(): Buffer {
    const off = this.n();
    const len = this.n();
    return len === 0 ? empty : this.bytes.subarray(off, off + len);
  }

  private skip(words: number): void {
    this.i += words;
  }

  /** The header words; the SPIs are subarrays of the decoded bytes. */
  header(): { header: Header; majorVersion: number } {
    const spiI = this.n();
    const spiR = this.n();
    const majorVersion = this.n();
    this.skip(1); // minor version: ignored (RFC 7296 §2.5)
    const exchange = this.n();
    const flags = this.n();
    const messageId = this.n();
    return {
      header: {
        spiI: this.bytes.subarray(spiI, spiI + 8),
        spiR: this.bytes.subarray(spiR, spiR + 8),
        exchange,
        initiator: (flags & 0x08) !== 0, // RFC 7296 §3.1: I
        response: (flags & 0x20) !== 0, // RFC 7296 §3.1: R
        messageId,
      },
      majorVersion,
    };
  }

  payloads(): TapePayloads {
    const count = this.n();
    const payloads: Payload[] = [];
    const types: number[] = [];
    let skIndex = -1;
    let skFirstType = 0;
    for (let k = 0; k < count; k++) {
      const type = this.n();
      this.skip(1); // flags: the codec enforced the critical bit; reserved bits are ignored (§3.2)
      switch (type) {
        case PayloadType.SA:
          payloads.push({ type, proposals: this.proposals() });
          break;
        case PayloadType.KE: {
          const group = this.n();
          this.skip(1);
          payloads.push({ type, group, data: this.buf() });
          break;
        }
        case PayloadType.IDi:
        case PayloadType.IDr: {
          const idType = this.n();
          this.skip(1);
          payloads.push({ type, idType, data: this.buf() });
          break;
        }
        case PayloadType.CERT:
        case PayloadType.CERTREQ: {
          const encoding = this.n();
          payloads.push({ type, encoding, data: this.buf() });
          break;
        }
        case PayloadType.AUTH: {
          const method = this.n();
          this.skip(1);
          payloads.push({ type, method, data: this.buf() });
          break;
        }
        case PayloadType.NONCE:
          payloads.push({ type, data: this.buf() });
          break;
        case PayloadType.NOTIFY: {
          const protocol = this.n();
          const notifyType = this.n();
          const spi = this.buf();
          payloads.push({ type, protocol, spi, notifyType, data: this.buf() });
          break;
        }
        case PayloadType.DELETE: {
          const protocol = this.n();
          const spiSize = this.n();
          const numSpis = this.n();
          const off = this.n();
          this.skip(1); // length = numSpis x spiSize
          const spis: Buffer[] = new Array<Buffer>(numSpis);
          for (let s = 0; s < numSpis; s++) spis[s] = this.bytes.subarray(off + s * spiSize, off + (s + 1) * spiSize);
          payloads.push({ type, protocol, spis });
          break;
        }
        case PayloadType.VENDOR_ID:
          payloads.push({ type, data: this.buf() });
          break;
        case PayloadType.TSi:
        case PayloadType.TSr:
          this.skip(1);
          payloads.push({ type, selectors: this.selectors() });
          break;
        case PayloadType.CP: {
          const cfgType = this.n();
          this.skip(1);
          const n = this.n();
          const attributes: CpAttribute[] = new Array<CpAttribute>(n);
          for (let a = 0; a < n; a++) {
            const attrType = this.n();
            this.skip(1); // reserved bit
            attributes[a] = { type: attrType, value: this.buf() };
          }
          payloads.push({ type, cfgType, attributes });
          break;
        }
        case PayloadType.EAP:
          payloads.push({ type, data: this.buf() });
          break;
        case PayloadType.SK:
          skIndex = k;
          skFirstType = this.n();
          this.skip(2);
          continue; // where SK sits is reported apart, not as a type
        case PayloadType.SKF:
          this.skip(5); // RFC 7383 fragments: typed for the exchange rules, not reassembled
          break;
        default:
          this.skip(2);
          continue; // RFC 7296 §2.5: unknown, not critical: ignored
      }
      types.push(type);
    }
    return { payloads, types, skIndex, skFirstType };
  }

  private proposals(): Proposal[] {
    const count = this.n();
    const out: Proposal[] = new Array<Proposal>(count);
    for (let k = 0; k < count; k++) {
      const number = this.n();
      const protocol = this.n();
      this.skip(1);
      const spi = this.buf();
      const nt = this.n();
      const transforms: Transform[] = new Array<Transform>(nt);
      for (let j = 0; j < nt; j++) {
        const type = this.n();
        const id = this.n();
        this.skip(2);
        const na = this.n();
        let keyLength = -1;
        for (let a = 0; a < na; a++) {
          const attrType = this.n();
          const tv = this.n();
          const value = this.n();
          this.skip(2);
          // RFC 7296 §3.3.5: Key Length is a TV attribute; the first one counts.
          if (keyLength < 0 && attrType === TransformAttribute.KEY_LENGTH && tv === 1) keyLength = value;
        }
        transforms[j] = keyLength < 0 ? { type, id } : { type, id, keyLength };
      }
      out[k] = { number, protocol, spi, transforms };
    }
    return out;
  }

  private selectors(): TrafficSelector[] {
    const n = this.n();
    const out: TrafficSelector[] = [];
    for (let k = 0; k < n; k++) {
      const type = this.n();
      const protocol = this.n();
      const startPort = this.n();
      const endPort = this.n();
      const startAddress = this.buf();
      const endAddress = this.buf();
      // Opaque selector types cannot be narrowed: ignored.
      if (type !== TsType.TS_IPV4_ADDR_RANGE && type !== TsType.TS_IPV6_ADDR_RANGE) continue;
      out.push({ type, protocol, startPort, endPort, startAddress, endAddress });
    }
    return out;
  }
}

// ---- writing ------------------------------------------------------------------

/** Flattens a header and payloads.ts objects into reusable scratch and has native code encode them. */
export class WireTapeWriter {
  private words = new Uint32Array(1024);
  private n = 0;
  private blob = new Uint8Array(4096);
  private blobLength = 0;
  private out = Buffer.allocUnsafeSlow(8192);

  /** A whole message: the header and its (unencrypted) payloads. */
  message(header: OutHeader, payloads: readonly Payload[]): Buffer {
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
  chain(payloads: readonly Payload[]): Buffer {
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
