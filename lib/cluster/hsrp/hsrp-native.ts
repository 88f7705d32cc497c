// The shape of the native HSRP module (native/napi/hsrp.cc, key `hsrp`). The
// only file of lib/cluster/hsrp/ that loads the addon.
import { nativeModule } from '../../native';

export type HsrpOpcode = 'Hello' | 'Coup' | 'Resign' | 'Advertise';
export type HsrpState = 'Initial' | 'Learn' | 'Listen' | 'Speak' | 'Standby' | 'Active';

/** How a group authenticates (RFC 2281 §5 text, or Cisco's MD5 TLV). */
export type HsrpAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'md5'; readonly key: string | Buffer; readonly keyId?: number; readonly senderIp?: string };

export interface EncodableMessage {
  readonly version: 1 | 2;
  readonly opcode: Exclude<HsrpOpcode, 'Advertise'>;
  readonly state: HsrpState;
  readonly helloMs: number;
  readonly holdMs: number;
  readonly priority: number;
  readonly group: number;
  readonly vip: string;
  /** v2: the sender's MAC address (6 octets). */
  readonly identifier?: Buffer;
}

/** The verdict of the group's authentication on a datagram, computed in constant time. */
export type AuthVerdict = 'ok' | 'missing' | 'wrong-kind' | 'mismatch';

export interface DecodedMessage {
  readonly ok: true;
  readonly version: 1 | 2;
  readonly opcode: HsrpOpcode;
  readonly state: HsrpState;
  readonly helloMs: number;
  readonly holdMs: number;
  readonly priority: number;
  readonly group: number;
  readonly ipVersion: 4 | 6;
  readonly vip: string;
  readonly identifier?: string;
  readonly authKind: 'none' | 'text' | 'md5';
  readonly md5KeyId?: number;
  readonly md5SenderIp?: string;
  readonly auth: AuthVerdict;
}

export interface DecodeFailure {
  readonly ok: false;
  readonly field: string;
  readonly offset: number;
  readonly reason: string;
}

export type DecodeResult = DecodedMessage | DecodeFailure;

export interface NativeLinkInfo {
  readonly ifindex: number;
  readonly mac: string;
  readonly up: boolean;
  readonly running: boolean;
  readonly ipv4: string | null;
  readonly ipv4Prefix: number;
}

export type ChannelOptions =
  | { readonly mode: 'packet'; readonly ifindex: number; readonly group: string; readonly port: number }
  /** A packet socket that only sends (gratuitous ARP). */
  | { readonly mode: 'packet'; readonly ifindex: number }
  | { readonly mode: 'udp'; readonly localIp: string; readonly port: number; readonly ttl: number; readonly device?: string };

export interface NativeChannel {
  /** Receive slab: `slotCount` slots of `slotSize` octets (layout in constants). */
  readonly slab: Buffer;
  /** Native counters, in the order of constants.counterNames. */
  readonly counters: Float64Array;
  sendMulticast(payload: Buffer, srcMac: Buffer, srcIp: string, dstIp: string, port: number): number;
  sendTo(ip: string, port: number, payload: Buffer): number;
  sendGarp(mac: Buffer, ip: string): number;
  close(): void;
}

export interface HsrpConstants {
  readonly udpPort: number;
  readonly udpPortV6: number;
  readonly groupAddressV1: string;
  readonly groupAddressV2: string;
  readonly maxEncodedLength: number;
  readonly slotSize: number;
  readonly slotCount: number;
  readonly offsetofLength: number;
  readonly offsetofSrcIp: number;
  readonly offsetofDstIp: number;
  readonly offsetofSrcPort: number;
  readonly offsetofTtl: number;
  readonly offsetofSrcMac: number;
  readonly offsetofPayload: number;
  readonly counterNames: readonly string[];
}

export interface NativeHsrp {
  readonly constants: HsrpConstants;
  encode(message: EncodableMessage, auth?: HsrpAuth): Buffer;
  decode(datagram: Buffer, auth?: HsrpAuth, offset?: number, length?: number): DecodeResult;
  virtualMac(version: number, group: number): string;
  queryLink(ifname: string): NativeLinkInfo;
  /** Returns 0 or an errno. */
  addAddress(ifindex: number, ip: string, prefix: number, lifetimeSeconds: number): number;
  deleteAddress(ifindex: number, ip: string, prefix: number): number;
  errnoName(errno: number): string;
  HsrpChannel: new (options: ChannelOptions, onReadable: (count: number) => void) => NativeChannel;
  HsrpLinkWatch: new (ifindex: number, onChange: (up: boolean, running: boolean, deleted: boolean) => void) => { close(): void };
}

let cached: NativeHsrp | undefined;

export function hsrpNative(): NativeHsrp {
  cached ??= nativeModule<NativeHsrp>('hsrp');
  return cached;
}
