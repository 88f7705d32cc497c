// A readable JSON view of a decoded message, the way a network engineer reads
// a dissector: names instead of numbers where known (numbers otherwise),
// byte strings as hex, notification data parsed. Used by `ikelb decode`.
import { ipv4Text, ipv6Text } from '../ip-address';
import type { IkeMessage, Payload } from './message';
import { constantName, headerFlagNames, nameOrNumber, transformIdName } from './names';
import { parseNotifyData, type NotifyData } from './notify-data';


type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function plain(value: unknown): Json {
  if (value instanceof Uint8Array) return hex(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const o: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) o[k] = plain(v);
    return o;
  }
  return value as Json;
}

function identityText(idType: number, data: Buffer): string | undefined {
  switch (constantName('IdType', idType)) {
    case 'ID_IPV4_ADDR':
      return data.length === 4 ? ipv4Text(data) : undefined;
    case 'ID_IPV6_ADDR':
      return data.length === 16 ? ipv6Text(data) : undefined;
    case 'ID_FQDN':
    case 'ID_RFC822_ADDR':
      return data.toString('latin1');
    default:
      return undefined;
  }
}

function extras(p: Payload): { [key: string]: Json } {
  const o: { [key: string]: Json } = {};
  if (p.critical === true) o.critical = true;
  if (p.reservedFlags !== undefined) o.reservedFlags = p.reservedFlags;
  return o;
}

function payload(p: Payload): { [key: string]: Json } {
  const base = { type: p.kind === 'UNKNOWN' ? p.type : p.kind, ...extras(p) };
  switch (p.kind) {
    case 'SA':
      return {
        ...base,
        proposals: p.proposals.map((pr) => ({
          number: pr.number,
          protocol: nameOrNumber('ProtocolId', pr.protocolId),
          spi: pr.spi,
          ...(pr.reserved !== undefined ? { reserved: pr.reserved } : {}),
          transforms: pr.transforms.map((t) => ({
            type: nameOrNumber('TransformType', t.type),
            id: transformIdName(t.type, t.id),
            ...(t.attributes.length > 0
              ? {
                  attributes: t.attributes.map((a) =>
                    'value' in a
                      ? { type: nameOrNumber('TransformAttribute', a.type), value: a.value }
                      : { type: nameOrNumber('TransformAttribute', a.type), data: hex(a.data) },
                  ),
                }
              : {}),
            ...(t.reserved1 !== undefined ? { reserved1: t.reserved1 } : {}),
            ...(t.reserved2 !== undefined ? { reserved2: t.reserved2 } : {}),
          })),
        })),
      };
    case 'KE':
      return { ...base, dhGroup: nameOrNumber('DhGroup', p.dhGroup), length: p.data.length, data: hex(p.data) };
    case 'IDi':
    case 'IDr': {
      const text = identityText(p.idType, p.data);
      return { ...base, idType: nameOrNumber('IdType', p.idType), ...(text !== undefined ? { identity: text } : {}), data: hex(p.data) };
    }
    case 'CERT':
    case 'CERTREQ':
      return { ...base, encoding: nameOrNumber('CertEncoding', p.encoding), length: p.data.length, data: hex(p.data) };
    case 'AUTH':
      return { ...base, method: nameOrNumber('AuthMethod', p.method), data: hex(p.data) };
    case 'NONCE':
      return { ...base, length: p.data.length, data: hex(p.data) };
    case 'NOTIFY': {
      const parsed = parseNotifyData(p);
      const spi = p.spi ?? '';
      return {
        ...base,
        notifyType: nameOrNumber('NotifyType', p.notifyType),
        ...(spi !== '' ? { protocol: nameOrNumber('ProtocolId', p.protocolId ?? 0), spi } : {}),
        data: hex(p.data),
        ...(parsed.ok && parsed.value !== null ? { parsed: notifyView(parsed.value) } : {}),
      };
    }
    case 'DELETE':
      return { ...base, protocol: nameOrNumber('ProtocolId', p.protocolId), spiSize: p.spiSize, spis: [...p.spis] };
    case 'VENDOR_ID':
      return { ...base, data: hex(p.data) };
    case 'TSi':
    case 'TSr':
      return {
        ...base,
        selectors: p.selectors.map((s) =>
          'startAddress' in s
            ? {
                tsType: nameOrNumber('TsType', s.tsType),
                ipProtocol: s.ipProtocol,
                ports: `${s.startPort}-${s.endPort}`,
                addresses: `${s.startAddress}-${s.endAddress}`,
              }
            : { tsType: nameOrNumber('TsType', s.tsType), ipProtocol: s.ipProtocol, data: hex(s.data) },
        ),
      };
    case 'SK':
      return { ...base, innerNextPayload: nameOrNumber('PayloadType', p.innerNextPayload), length: p.data.length, data: hex(p.data) };
    case 'SKF':
      return {
        ...base,
        fragment: `${p.fragmentNumber}/${p.totalFragments}`,
        innerNextPayload: nameOrNumber('PayloadType', p.innerNextPayload),
        length: p.data.length,
        data: hex(p.data),
      };
    case 'CP':
      return {
        ...base,
        cfgType: nameOrNumber('CfgType', p.cfgType),
        attributes: p.attributes.map((a) => ({ type: nameOrNumber('CfgAttribute', a.type), value: hex(a.value) })),
      };
    case 'EAP': {
      const m = p.message;
      return {
        ...base,
        code: nameOrNumber('EapCode', m[0] ?? 0),
        identifier: m[1] ?? 0,
        ...(m.length > 4 ? { eapType: m[4] ?? 0 } : {}),
        message: hex(m),
      };
    }
    case 'UNKNOWN':
      return { ...base, data: hex(p.data) };
  }
}

function notifyView(value: NotifyData): Json {
  const { kind: _kind, ...fields } = value;
  void _kind;
  const rest: Record<string, unknown> = fields;
  const view = plain(rest) as { [key: string]: Json };
  if (typeof rest.gwIdentType === 'number') view.gwIdentType = nameOrNumber('GatewayIdentityType', rest.gwIdentType);
  if (typeof rest.dhGroup === 'number') view.dhGroup = nameOrNumber('DhGroup', rest.dhGroup);
  if (Array.isArray(rest.hashAlgorithms)) {
    view.hashAlgorithms = (rest.hashAlgorithms as number[]).map((h) => nameOrNumber('HashAlgorithm', h));
  }
  return view;
}

/** The dissector view of one message; `length` is the datagram's. */
export function dissect(message: IkeMessage, length: number): { [key: string]: Json } {
  const h = message.header;
  return {
    length,
    header: {
      spiI: h.spiI,
      spiR: h.spiR,
      version: `${h.majorVersion ?? 2}.${h.minorVersion ?? 0}`,
      exchangeType: nameOrNumber('ExchangeType', h.exchangeType),
      flags: headerFlagNames(h.flags),
      messageId: h.messageId,
    },
    payloads: message.payloads.map(payload),
  };
}
