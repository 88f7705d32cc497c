// Decoding for the IkeWire adapter (wire.ts): the codec's tape (layout:
// native/ike/tape.h) read straight into the state machines' payload model
// (payloads.ts). lib/ike/tape.ts reads the same tape into the codec's public
// model (hex SPIs, text addresses, every reserved field), which the state
// machines never need; going through it and converting cost two object
// graphs, hex and address text, and a private copy of every datagram.
//
// Byte strings are subarrays of the buffer that was decoded: the core owns
// its datagrams (IkeCore.receive), so nothing is copied here. One decoder
// and one tape serve every call (decoding is synchronous).
import { codecNative, type NativeDecodeError } from './codec-native';
import { PayloadType, TransformAttribute, TsType } from './constants';
import type { CpAttribute, Header, Payload, Proposal, Transform } from './payloads';
import type { TrafficSelector } from './traffic-selectors';

const empty = Buffer.alloc(0);
// Real messages need far fewer words than octets; a larger tape is used once, not kept.
const keptTapeWords = 16384;

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

/** Decodes datagrams and SK plaintexts into payloads.ts objects; byte strings are subarrays of the input. */
export class WireDecoder {
  private tape = new Uint32Array(4096);
  private i = 0;
  private w: Uint32Array = new Uint32Array(0);
  private bytes: Buffer = empty;

  /** Decodes a whole datagram: the header, and the payloads outside SK. */
  decodeMessage(datagram: Buffer): { header: Header; majorVersion: number; chain: TapePayloads } | NativeDecodeError {
    const r = this.run((t) => codecNative().decodeMessage(datagram, t), datagram);
    if (r !== undefined) return r;
    const { header, majorVersion } = this.header();
    return { header, majorVersion, chain: this.payloads() };
  }

  /** Decodes a payload chain (the plaintext of an SK payload, whose Next Payload is firstType). */
  decodePayloads(plaintext: Buffer, firstType: number): TapePayloads | NativeDecodeError {
    const r = this.run((t) => codecNative().decodePayloads(plaintext, firstType, 0, t), plaintext);
    return r !== undefined ? r : this.payloads();
  }

  /** Runs a native tape decode (retrying once with the size asked for) and starts reading its words. */
  private run(call: (t: Uint32Array) => number | NativeDecodeError, bytes: Buffer): NativeDecodeError | undefined {
    let words = this.tape;
    let r = call(words);
    if (typeof r === 'number' && r < 0) {
      words = new Uint32Array(-r);
      if (words.length <= keptTapeWords) this.tape = words;
      r = call(words);
    }
    if (typeof r !== 'number') return r;
    this.w = words;
    this.bytes = bytes;
    this.i = 0;
    return undefined;
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
  private header(): { header: Header; majorVersion: number } {
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

  private payloads(): TapePayloads {
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
