// The message tape (layout: native/ike/tape.h): decoded messages arrive from
// native code as 32-bit words plus the datagram's octets, and messages to
// encode leave as words plus one blob of byte strings. One N-API call per
// message; the objects are built here with plain literals, which V8 makes
// fast (a decode is a few microseconds instead of one native call per field).
//
// The writer is also where a message object from TypeScript is checked: a
// wrong type or an out-of-range value is an IkelbError (IKELB_ERR_ENCODE)
// naming the property path, e.g. "payloads[2].dhGroup: expected an integer 0..65535".
import { ipv4Text, ipv6Text, parseAddress } from '../ip-address';
import { IkelbError } from '../errors';
import { PayloadType, TsType } from './constants';
import type {
  ConfigAttribute,
  IkeHeader,
  IkeMessage,
  Payload,
  PayloadKind,
  Proposal,
  TrafficSelector,
  Transform,
  TransformAttribute,
} from './message';

// ---- reading ------------------------------------------------------------------

const kindOf: Readonly<Record<number, Exclude<PayloadKind, 'UNKNOWN'>>> = {
  [PayloadType.SA]: 'SA',
  [PayloadType.KE]: 'KE',
  [PayloadType.IDi]: 'IDi',
  [PayloadType.IDr]: 'IDr',
  [PayloadType.CERT]: 'CERT',
  [PayloadType.CERTREQ]: 'CERTREQ',
  [PayloadType.AUTH]: 'AUTH',
  [PayloadType.NONCE]: 'NONCE',
  [PayloadType.NOTIFY]: 'NOTIFY',
  [PayloadType.DELETE]: 'DELETE',
  [PayloadType.VENDOR_ID]: 'VENDOR_ID',
  [PayloadType.TSi]: 'TSi',
  [PayloadType.TSr]: 'TSr',
  [PayloadType.SK]: 'SK',
  [PayloadType.CP]: 'CP',
  [PayloadType.EAP]: 'EAP',
  [PayloadType.SKF]: 'SKF',
};

const typeOfKind: Readonly<Record<Exclude<PayloadKind, 'UNKNOWN'>, number>> = Object.fromEntries(
  Object.entries(kindOf).map(([type, kind]) => [kind, Number(type)]),
) as Record<Exclude<PayloadKind, 'UNKNOWN'>, number>;

class TapeReader {
  private i = 0;

  constructor(
    private readonly w: Uint32Array,
    private readonly bytes: Buffer,
  ) {}

  n(): number {
    return this.w[this.i++] ?? 0;
  }

  buf(): Buffer {
    const off = this.n();
    const len = this.n();
    return this.bytes.subarray(off, off + len);
  }

  hex(): string {
    const off = this.n();
    const len = this.n();
    return this.bytes.toString('hex', off, off + len);
  }

  /** Adds `key: value` only when value is non-zero (reserved fields). */
  static reserved<T extends object>(o: T, key: string, value: number): T {
    if (value !== 0) (o as Record<string, number>)[key] = value;
    return o;
  }

  header(): IkeHeader {
    const spiIOff = this.n();
    const spiROff = this.n();
    return {
      spiI: this.bytes.toString('hex', spiIOff, spiIOff + 8),
      spiR: this.bytes.toString('hex', spiROff, spiROff + 8),
      majorVersion: this.n(),
      minorVersion: this.n(),
      exchangeType: this.n(),
      flags: this.n(),
      messageId: this.n(),
    };
  }

  payloads(): Payload[] {
    const count = this.n();
    const out: Payload[] = new Array<Payload>(count);
    for (let k = 0; k < count; k++) out[k] = this.payload();
    return out;
  }

  private payload(): Payload {
    const type = this.n();
    const flags = this.n();
    const base: { critical: boolean; reservedFlags?: number } = { critical: (flags & 0x80) !== 0 };
    if ((flags & 0x7f) !== 0) base.reservedFlags = flags & 0x7f;
    const kind = kindOf[type];
    switch (kind) {
      case 'SA':
        return { kind, ...base, proposals: this.proposals() };
      case 'KE': {
        const dhGroup = this.n();
        const reserved = this.n();
        return TapeReader.reserved({ kind, ...base, dhGroup, data: this.buf() }, 'reserved', reserved);
      }
      case 'IDi':
      case 'IDr': {
        const idType = this.n();
        const reserved = this.n();
        return TapeReader.reserved({ kind, ...base, idType, data: this.buf() }, 'reserved', reserved);
      }
      case 'CERT':
      case 'CERTREQ':
        return { kind, ...base, encoding: this.n(), data: this.buf() };
      case 'AUTH': {
        const method = this.n();
        const reserved = this.n();
        return TapeReader.reserved({ kind, ...base, method, data: this.buf() }, 'reserved', reserved);
      }
      case 'NONCE':
        return { kind, ...base, data: this.buf() };
      case 'NOTIFY':
        return { kind, ...base, protocolId: this.n(), notifyType: this.n(), spi: this.hex(), data: this.buf() };
      case 'DELETE': {
        const protocolId = this.n();
        const spiSize = this.n();
        const numSpis = this.n();
        const off = this.n();
        this.n(); // length = numSpis * spiSize
        const spis: string[] = new Array<string>(numSpis);
        for (let k = 0; k < numSpis; k++) spis[k] = this.bytes.toString('hex', off + k * spiSize, off + (k + 1) * spiSize);
        return { kind, ...base, protocolId, spiSize, spis };
      }
      case 'VENDOR_ID':
        return { kind, ...base, data: this.buf() };
      case 'TSi':
      case 'TSr': {
        const reserved = this.n();
        return TapeReader.reserved({ kind, ...base, selectors: this.selectors() }, 'reserved', reserved);
      }
      case 'SK':
        return { kind, ...base, innerNextPayload: this.n(), data: this.buf() };
      case 'CP': {
        const cfgType = this.n();
        const reserved = this.n();
        const count = this.n();
        const attributes: ConfigAttribute[] = new Array<ConfigAttribute>(count);
        for (let k = 0; k < count; k++) {
          const attrType = this.n();
          const bit = this.n();
          const value = this.buf();
          attributes[k] = bit === 1 ? { type: attrType, value, reservedBit: true } : { type: attrType, value };
        }
        return TapeReader.reserved({ kind, ...base, cfgType, attributes }, 'reserved', reserved);
      }
      case 'EAP':
        return { kind, ...base, message: this.buf() };
      case 'SKF':
        return {
          kind,
          ...base,
          innerNextPayload: this.n(),
          fragmentNumber: this.n(),
          totalFragments: this.n(),
          data: this.buf(),
        };
      default:
        return { kind: 'UNKNOWN', ...base, type, data: this.buf() };
    }
  }

  private proposals(): Proposal[] {
    const count = this.n();
    const out: Proposal[] = new Array<Proposal>(count);
    for (let k = 0; k < count; k++) {
      const number = this.n();
      const protocolId = this.n();
      const reserved = this.n();
      const spi = this.hex();
      const transforms: Transform[] = new Array<Transform>(this.n());
      for (let j = 0; j < transforms.length; j++) {
        const type = this.n();
        const id = this.n();
        const reserved1 = this.n();
        const reserved2 = this.n();
        const attributes: TransformAttribute[] = new Array<TransformAttribute>(this.n());
        for (let a = 0; a < attributes.length; a++) {
          const attrType = this.n();
          const tv = this.n();
          const value = this.n();
          const data = this.buf();
          attributes[a] = tv === 1 ? { type: attrType, value } : { type: attrType, data };
        }
        const t: Transform = { type, id, attributes };
        TapeReader.reserved(t, 'reserved1', reserved1);
        transforms[j] = TapeReader.reserved(t, 'reserved2', reserved2);
      }
      out[k] = TapeReader.reserved({ number, protocolId, spi, transforms }, 'reserved', reserved);
    }
    return out;
  }

  private selectors(): TrafficSelector[] {
    const out: TrafficSelector[] = new Array<TrafficSelector>(this.n());
    for (let k = 0; k < out.length; k++) {
      const tsType = this.n();
      const ipProtocol = this.n();
      const startPort = this.n();
      const endPort = this.n();
      const a = this.buf();
      const b = this.buf();
      if (tsType === TsType.TS_IPV4_ADDR_RANGE || tsType === TsType.TS_IPV6_ADDR_RANGE) {
        const text = tsType === TsType.TS_IPV4_ADDR_RANGE ? ipv4Text : ipv6Text;
        out[k] = { tsType, ipProtocol, startPort, endPort, startAddress: text(a), endAddress: text(b) };
      } else {
        out[k] = { tsType, ipProtocol, data: a };
      }
    }
    return out;
  }
}

/** Builds the message a decode tape describes; byte strings are slices of `bytes`. */
export function readMessageTape(words: Uint32Array, bytes: Buffer): IkeMessage {
  const r = new TapeReader(words, bytes);
  const header = r.header();
  return { header, payloads: r.payloads() };
}

export function readPayloadsTape(words: Uint32Array, bytes: Buffer): Payload[] {
  return new TapeReader(words, bytes).payloads();
}

// ---- writing ------------------------------------------------------------------

class TapeWriter {
  private words = new Uint32Array(256);
  private n = 0;
  private readonly parts: Uint8Array[] = [];
  private blobLength = 0;
  /** Where in the message object we are, for error messages (built only on failure). */
  private readonly path: (string | number)[] = [];

  private fail(name: string | undefined, what: string): never {
    let p = '';
    for (const part of this.path) p += typeof part === 'number' ? `[${part}]` : p === '' ? part : `.${part}`;
    if (name !== undefined) p += p === '' ? name : `.${name}`;
    throw Object.assign(new IkelbError('IKELB_ERR_ENCODE', `invalid message object: ${p}: ${what}`), { field: p });
  }

  private push(v: number): void {
    if (this.n === this.words.length) {
      const bigger = new Uint32Array(this.words.length * 2);
      bigger.set(this.words);
      this.words = bigger;
    }
    this.words[this.n++] = v;
  }

  private int(value: unknown, max: number, name: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      this.fail(name, `expected an integer 0..${max}`);
    }
    this.push(value);
    return value;
  }

  private optInt(value: unknown, max: number, name: string, fallback = 0): number {
    return this.int(value === undefined ? fallback : value, max, name);
  }

  private place(b: Uint8Array): void {
    this.push(this.blobLength);
    this.push(b.length);
    if (b.length > 0) {
      this.parts.push(b);
      this.blobLength += b.length;
    }
  }

  private bytes(value: unknown, name: string): void {
    if (!(value instanceof Uint8Array)) this.fail(name, 'expected a Buffer or Uint8Array');
    this.place(value);
  }

  private hexBytes(value: unknown, maxOctets: number, name: string | undefined): Buffer {
    if (value === undefined || value === '') return empty;
    if (typeof value !== 'string' || value.length % 2 !== 0 || value.length / 2 > maxOctets) {
      this.fail(name, `expected an even number of hex digits, at most ${maxOctets} octets`);
    }
    const b = Buffer.from(value, 'hex');
    if (b.length * 2 !== value.length) this.fail(name, 'expected hex digits');
    return b;
  }

  private address(value: unknown, family: 4 | 6, name: string): void {
    const b = typeof value === 'string' ? parseAddress(value, family) : undefined;
    if (b === undefined) this.fail(name, `expected an IPv${family} address`);
    this.place(b);
  }

  private array(value: unknown, name: string): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(name, 'expected an array');
    return value;
  }

  private object(value: unknown, name?: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(name, 'expected an object');
    return value as Record<string, unknown>;
  }

  header(h: unknown): void {
    const o = this.object(h, 'header');
    this.path.push('header');
    // The SPIs go first into the blob: offsets 0 and 8.
    for (const name of ['spiI', 'spiR'] as const) {
      const spi = this.hexBytes(o[name], 8, name);
      if (spi.length !== 8) this.fail(name, 'expected 16 hex digits');
      this.push(this.blobLength);
      this.parts.push(spi);
      this.blobLength += 8;
    }
    this.optInt(o.majorVersion, 0x0f, 'majorVersion', 2);
    this.optInt(o.minorVersion, 0x0f, 'minorVersion');
    this.int(o.exchangeType, 0xff, 'exchangeType');
    this.int(o.flags, 0xff, 'flags');
    this.int(o.messageId, 0xffffffff, 'messageId');
    this.path.pop();
  }

  payloads(value: unknown): void {
    const list = this.array(value, 'payloads');
    this.push(list.length);
    this.path.push('payloads');
    for (let i = 0; i < list.length; i++) {
      this.path.push(i);
      this.payload(list[i]);
      this.path.pop();
    }
    this.path.pop();
  }

  /** Runs each(item) for every element of an array property, with the path kept. */
  private each(value: unknown, name: string, each: (item: Record<string, unknown>) => void): void {
    const list = this.array(value, name);
    this.push(list.length);
    this.path.push(name);
    for (let i = 0; i < list.length; i++) {
      this.path.push(i);
      each(this.object(list[i]));
      this.path.pop();
    }
    this.path.pop();
  }

  private payload(value: unknown): void {
    const p = this.object(value);
    const kind = p.kind;
    const known = typeof kind === 'string' ? typeOfKind[kind as Exclude<PayloadKind, 'UNKNOWN'>] : undefined;
    if (known === undefined && kind !== 'UNKNOWN') {
      this.fail('kind', `expected a payload kind (${[...Object.keys(typeOfKind), 'UNKNOWN'].join(', ')})`);
    }
    if (known === undefined) this.int(p.type, 0xff, 'type');
    else this.push(known);
    if (p.critical !== undefined && typeof p.critical !== 'boolean') this.fail('critical', 'expected a boolean');
    const reservedFlags = p.reservedFlags === undefined ? 0 : p.reservedFlags;
    if (typeof reservedFlags !== 'number' || !Number.isInteger(reservedFlags) || reservedFlags < 0 || reservedFlags > 0x7f) {
      this.fail('reservedFlags', 'expected an integer 0..127');
    }
    this.push((p.critical === true ? 0x80 : 0) | reservedFlags);
    switch (kind) {
      case 'SA':
        this.each(p.proposals, 'proposals', (pr) => {
          this.int(pr.number, 0xff, 'number');
          this.int(pr.protocolId, 0xff, 'protocolId');
          this.optInt(pr.reserved, 0xff, 'reserved');
          this.place(this.hexBytes(pr.spi, 0xff, 'spi'));
          this.each(pr.transforms, 'transforms', (t) => {
            this.int(t.type, 0xff, 'type');
            this.int(t.id, 0xffff, 'id');
            this.optInt(t.reserved1, 0xff, 'reserved1');
            this.optInt(t.reserved2, 0xff, 'reserved2');
            this.each(t.attributes === undefined ? noItems : t.attributes, 'attributes', (a) => {
              this.int(a.type, 0x7fff, 'type');
              if (a.value !== undefined) {
                this.push(1);
                this.int(a.value, 0xffff, 'value');
                this.place(empty);
              } else {
                this.push(0);
                this.push(0);
                this.bytes(a.data, 'data');
              }
            });
          });
        });
        return;
      case 'KE':
        this.int(p.dhGroup, 0xffff, 'dhGroup');
        this.optInt(p.reserved, 0xffff, 'reserved');
        this.bytes(p.data, 'data');
        return;
      case 'IDi':
      case 'IDr':
        this.int(p.idType, 0xff, 'idType');
        this.optInt(p.reserved, 0xffffff, 'reserved');
        this.bytes(p.data, 'data');
        return;
      case 'CERT':
      case 'CERTREQ':
        this.int(p.encoding, 0xff, 'encoding');
        this.bytes(p.data, 'data');
        return;
      case 'AUTH':
        this.int(p.method, 0xff, 'method');
        this.optInt(p.reserved, 0xffffff, 'reserved');
        this.bytes(p.data, 'data');
        return;
      case 'NONCE':
      case 'VENDOR_ID':
      case 'UNKNOWN':
        this.bytes(p.data, 'data');
        return;
      case 'NOTIFY':
        this.optInt(p.protocolId, 0xff, 'protocolId');
        this.int(p.notifyType, 0xffff, 'notifyType');
        this.place(this.hexBytes(p.spi, 0xff, 'spi'));
        this.bytes(p.data, 'data');
        return;
      case 'DELETE': {
        this.int(p.protocolId, 0xff, 'protocolId');
        const size = this.int(p.spiSize, 0xff, 'spiSize');
        const spis = this.array(p.spis, 'spis');
        this.int(spis.length, 0xffff, 'spis');
        const all = Buffer.alloc(spis.length * size);
        this.path.push('spis');
        spis.forEach((s, i) => {
          this.path.push(i);
          const b = this.hexBytes(s, size, undefined);
          if (b.length !== size) this.fail(undefined, `expected ${size * 2} hex digits (spiSize octets)`);
          b.copy(all, i * size);
          this.path.pop();
        });
        this.path.pop();
        this.place(all);
        return;
      }
      case 'TSi':
      case 'TSr':
        this.optInt(p.reserved, 0xffffff, 'reserved');
        this.each(p.selectors, 'selectors', (s) => {
          const tsType = this.int(s.tsType, 0xff, 'tsType');
          this.int(s.ipProtocol, 0xff, 'ipProtocol');
          if (tsType === TsType.TS_IPV4_ADDR_RANGE || tsType === TsType.TS_IPV6_ADDR_RANGE) {
            const family = tsType === TsType.TS_IPV4_ADDR_RANGE ? 4 : 6;
            this.int(s.startPort, 0xffff, 'startPort');
            this.int(s.endPort, 0xffff, 'endPort');
            this.address(s.startAddress, family, 'startAddress');
            this.address(s.endAddress, family, 'endAddress');
          } else {
            this.push(0);
            this.push(0);
            this.bytes(s.data, 'data');
            this.place(empty);
          }
        });
        return;
      case 'SK':
        this.int(p.innerNextPayload, 0xff, 'innerNextPayload');
        this.bytes(p.data, 'data');
        return;
      case 'SKF':
        this.int(p.innerNextPayload, 0xff, 'innerNextPayload');
        this.int(p.fragmentNumber, 0xffff, 'fragmentNumber');
        this.int(p.totalFragments, 0xffff, 'totalFragments');
        this.bytes(p.data, 'data');
        return;
      case 'CP':
        this.int(p.cfgType, 0xff, 'cfgType');
        this.optInt(p.reserved, 0xffffff, 'reserved');
        this.each(p.attributes, 'attributes', (a) => {
          this.int(a.type, 0x7fff, 'type');
          if (a.reservedBit !== undefined && typeof a.reservedBit !== 'boolean') this.fail('reservedBit', 'expected a boolean');
          this.push(a.reservedBit === true ? 1 : 0);
          this.bytes(a.value, 'value');
        });
        return;
      case 'EAP':
        this.bytes(p.message, 'message');
        return;
      default:
        return;
    }
  }

  finish(): { words: Uint32Array; blob: Buffer } {
    return { words: this.words.subarray(0, this.n), blob: Buffer.concat(this.parts, this.blobLength) };
  }
}

const empty = Buffer.alloc(0);
const noItems: readonly unknown[] = [];

/** Checks a message object and flattens it for native encoding. */
export function writeMessageTape(message: unknown): { words: Uint32Array; blob: Buffer } {
  const w = new TapeWriter();
  if (typeof message !== 'object' || message === null) {
    throw Object.assign(new IkelbError('IKELB_ERR_ENCODE', 'invalid message object: expected an object'), { field: '' });
  }
  const m = message as Record<string, unknown>;
  w.header(m.header);
  w.payloads(m.payloads);
  return w.finish();
}

export function writePayloadsTape(payloads: unknown): { words: Uint32Array; blob: Buffer } {
  const w = new TapeWriter();
  w.payloads(payloads);
  return w.finish();
}
