// The shape of the native UDP engine (native/napi/udp.cc, key 'udp'). The only
// file of lib/net that reaches the addon; every size, offset and index below
// comes from native code at run time (never copied by hand).
import { nativeModule } from '../native';

export interface NativeListen {
  readonly address: string;
  readonly port: number;
  readonly natt: boolean;
}

export interface NativeOpenOptions {
  readonly listen: readonly NativeListen[];
  readonly mode: 'thread' | 'event-loop';
  readonly batch?: number;
  readonly receiveBuffer?: number;
  readonly sendBuffer?: number;
  readonly fastPath?: boolean;
  readonly ioThreadNice?: number;
}

export interface NativeSocketInfo {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly natt: boolean;
}

export interface NativeBuffers {
  readonly counters: ArrayBuffer;
  readonly projection: ArrayBuffer;
  readonly control: ArrayBuffer;
  readonly targets: ArrayBuffer;
  readonly receive: ArrayBuffer;
  readonly send: ArrayBuffer;
}

export interface NativeUdpEngine {
  open(options: NativeOpenOptions): void;
  close(): void;
  flush(count: number): number;
  sockets(): NativeSocketInfo[];
  rotateCookieSecret(secret?: Uint8Array): number;
  cookieVersion(): number;
  ref(): void;
  unref(): void;
  readonly buffers: NativeBuffers;
}

export interface UdpLayout {
  readonly meta: {
    readonly words: number;
    readonly offset: number;
    readonly length: number;
    readonly socket: number;
    readonly flags: number;
    readonly remotePort: number;
    readonly localPort: number;
    readonly ifindex: number;
    readonly remoteAddress: number;
    readonly localAddress: number;
    readonly flagNatT: number;
    readonly flagIpv6: number;
  };
  readonly segment: {
    readonly count: number;
    readonly stride: number;
    readonly dataBytes: number;
    readonly records: number;
    readonly offsetof_meta: number;
  };
  readonly control: {
    readonly words: number;
    readonly redirectInit: number;
    readonly cookieThreshold: number;
    readonly halfOpen: number;
    readonly sendPending: number;
    readonly sendBytes: number;
    readonly cookieNever: number;
  };
  readonly counters: {
    readonly names: readonly string[];
    readonly help: readonly string[];
    readonly dropNames: readonly string[];
    readonly dropHelp: readonly string[];
    readonly offsetof_value: number;
    readonly offsetof_drops: number;
    readonly offsetof_redirects_to: number;
    readonly bytes: number;
  };
  readonly targets: {
    readonly max: number;
    readonly offsetof_seq: number;
    readonly offsetof_slots: number;
    readonly offsetof_rows: number;
    readonly rowBytes: number;
    readonly offsetof_address: number;
    readonly offsetof_family: number;
    readonly offsetof_flags: number;
    readonly offsetof_id: number;
    readonly offsetof_report: number;
    readonly offsetof_rank: number;
    readonly offsetof_score: number;
    readonly offsetof_per_session: number;
    readonly offsetof_capacity: number;
    readonly offsetof_limit: number;
    readonly flagEligible: number;
    readonly flagLocal: number;
    readonly offsetof_since_report: number;
    readonly offsetof_snapshot_seq: number;
  };
  readonly cookie: {
    readonly bytes: number;
    readonly secretBytes: number;
  };
}

interface UdpModule {
  readonly UdpEngine: new (onBatch: (segment: number, count: number) => void) => NativeUdpEngine;
  readonly layout: UdpLayout;
}

let cached: UdpModule | undefined;

export function udpNative(): UdpModule {
  cached ??= nativeModule<UdpModule>('udp');
  return cached;
}
