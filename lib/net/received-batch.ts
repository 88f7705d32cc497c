// A batch of datagrams the fast path passed to TypeScript: a view over one
// receive-slab segment. One ReceivedBatch object exists per segment, created
// once; the engine only updates `count` before each callback, so reading a
// batch allocates nothing unless the caller asks for strings or copies.
//
// Ownership: the bytes are valid only during the batch callback. Native code
// refills the segment after the callback returned, so keep a message with
// copyMessage(i), never with message(i).
import { formatAddress } from '../ip-address';
import type { UdpLayout } from './udp-native';

export class ReceivedBatch {
  /** Datagrams in this batch. */
  count = 0;
  /** The segment's data area; datagram i is data[offset(i) .. offset(i)+length(i)). */
  readonly data: Uint8Array;
  private readonly meta: Uint32Array;
  private readonly metaBytes: Uint8Array;
  private readonly m: UdpLayout['meta'];

  constructor(
    receive: ArrayBuffer,
    readonly segment: number,
    layout: UdpLayout,
  ) {
    const base = segment * layout.segment.stride;
    this.m = layout.meta;
    this.data = new Uint8Array(receive, base, layout.segment.dataBytes);
    const metaBase = base + layout.segment.offsetof_meta;
    this.meta = new Uint32Array(receive, metaBase, layout.segment.records * layout.meta.words);
    this.metaBytes = new Uint8Array(receive, metaBase, layout.segment.records * layout.meta.words * 4);
  }

  private word(i: number, field: number): number {
    return this.meta[i * this.m.words + field] as number;
  }

  offset(i: number): number {
    return this.word(i, this.m.offset);
  }
  length(i: number): number {
    return this.word(i, this.m.length);
  }
  /** Index of the engine socket the datagram arrived on (engine.sockets[i]). */
  socket(i: number): number {
    return this.word(i, this.m.socket);
  }
  /** Arrived on a NAT-T socket (the non-ESP marker was stripped). */
  natt(i: number): boolean {
    return (this.word(i, this.m.flags) & this.m.flagNatT) !== 0;
  }
  family(i: number): 4 | 6 {
    return (this.word(i, this.m.flags) & this.m.flagIpv6) !== 0 ? 6 : 4;
  }
  remotePort(i: number): number {
    return this.word(i, this.m.remotePort);
  }
  localPort(i: number): number {
    return this.word(i, this.m.localPort);
  }
  ifindex(i: number): number {
    return this.word(i, this.m.ifindex);
  }
  /** The IKE message (a view: valid during the callback only). */
  message(i: number): Uint8Array {
    const offset = this.offset(i);
    return this.data.subarray(offset, offset + this.length(i));
  }
  /** A copy of the IKE message that outlives the callback (from Node's buffer pool, no view in between). */
  copyMessage(i: number): Buffer {
    const offset = this.offset(i);
    const length = this.length(i);
    const copy = Buffer.allocUnsafe(length);
    copy.set(this.data.subarray(offset, offset + length));
    return copy;
  }
  remoteAddress(i: number): string {
    return formatAddress(this.metaBytes, (i * this.m.words + this.m.remoteAddress) * 4, this.family(i));
  }
  /** The address the datagram was sent to (the VIP, with a wildcard bind). */
  localAddress(i: number): string {
    return formatAddress(this.metaBytes, (i * this.m.words + this.m.localAddress) * 4, this.family(i));
  }
  /** Raw metadata record i (for SendQueue.reply; a view, no copy). */
  record(i: number): Uint32Array {
    return this.meta.subarray(i * this.m.words, (i + 1) * this.m.words);
  }
  /** Copies record i into `target` at `targetIndex` words (no allocation). */
  copyRecordInto(i: number, target: Uint32Array, targetIndex: number): void {
    const from = i * this.m.words;
    for (let w = 0; w < this.m.words; w++) target[targetIndex + w] = this.meta[from + w] as number;
  }
}
