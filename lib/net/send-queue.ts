// Datagrams TypeScript sends: staged in the engine's send slab (bytes plus a
// metadata record) and sent with one sendmmsg per flush. Inside a batch
// callback nothing else is needed: the engine flushes what the callback staged
// right after it returns. Outside one (an answer computed after a DH job), call
// flush() once the burst is staged.
//
// The pending count and byte cursor live in the engine's control words, which
// the native glue resets after its own flush; they are the single source of
// truth, so this object holds no cursor of its own.
import { IkelbError } from '../errors';
import { writeAddress } from '../ip-address';
import type { ReceivedBatch } from './received-batch';
import type { NativeUdpEngine, UdpLayout } from './udp-native';

export interface Destination {
  /** Engine socket index to send from (its port; NAT-T sockets add the non-ESP marker). */
  readonly socket: number;
  readonly address: string;
  readonly port: number;
  /** Source address (pktinfo); omit to let the kernel choose. */
  readonly localAddress?: string;
}

export class SendQueue {
  private readonly data: Uint8Array;
  private readonly meta: Uint32Array;
  private readonly metaBytes: Uint8Array;
  private readonly m: UdpLayout['meta'];
  private readonly records: number;
  private readonly dataBytes: number;
  private stagedOffset = 0;

  constructor(
    private readonly engine: NativeUdpEngine,
    send: ArrayBuffer,
    private readonly control: Uint32Array,
    private readonly layout: UdpLayout,
    private readonly socketFamilies: readonly (4 | 6)[],
  ) {
    this.m = layout.meta;
    this.records = layout.segment.records;
    this.dataBytes = layout.segment.dataBytes;
    this.data = new Uint8Array(send, 0, layout.segment.dataBytes);
    this.meta = new Uint32Array(send, layout.segment.offsetof_meta, this.records * this.m.words);
    this.metaBytes = new Uint8Array(send, layout.segment.offsetof_meta, this.records * this.m.words * 4);
  }

  /** Datagrams staged and not yet flushed. */
  get pending(): number {
    return this.control[this.layout.control.sendPending] as number;
  }

  /** Answers datagram i of a received batch: same socket, back to its sender, from the address it was sent to. */
  reply(batch: ReceivedBatch, i: number, message: Uint8Array): void {
    const index = this.stage(message);
    batch.copyRecordInto(i, this.meta, index * this.m.words);
    this.finish(index, message.length);
  }

  /** Sends to an arbitrary peer (initiator role, REDIRECT-following client, ...). */
  sendTo(destination: Destination, message: Uint8Array): void {
    const family = this.socketFamilies[destination.socket];
    if (family === undefined) {
      throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `no engine socket ${destination.socket}`);
    }
    if (!Number.isInteger(destination.port) || destination.port < 1 || destination.port > 65535) {
      throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `port ${destination.port} is not 1..65535`);
    }
    const index = this.stage(message);
    const w = index * this.m.words;
    const remoteFamily = writeAddress(destination.address, this.metaBytes, (w + this.m.remoteAddress) * 4);
    if (remoteFamily === undefined) throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `'${destination.address}' is not an IP address`);
    if (remoteFamily !== family) {
      throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `socket ${destination.socket} is IPv${family}, ${destination.address} is not`);
    }
    if (destination.localAddress !== undefined) {
      if (writeAddress(destination.localAddress, this.metaBytes, (w + this.m.localAddress) * 4) === undefined) {
        throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `source address '${destination.localAddress}' is not an IP address`);
      }
    } else this.metaBytes.fill(0, (w + this.m.localAddress) * 4, (w + this.m.localAddress + 4) * 4);
    this.meta[w + this.m.socket] = destination.socket;
    this.meta[w + this.m.flags] = family === 6 ? this.m.flagIpv6 : 0;
    this.meta[w + this.m.remotePort] = destination.port;
    this.meta[w + this.m.ifindex] = 0;
    this.finish(index, message.length);
  }

  /** Sends everything staged (one sendmmsg per run of the same socket); returns how many the kernel accepted. */
  flush(): number {
    const pending = this.pending;
    if (pending === 0) return 0;
    const sent = this.engine.flush(pending);
    this.control[this.layout.control.sendPending] = 0;
    this.control[this.layout.control.sendBytes] = 0;
    return sent;
  }

  // Copies the message into the slab (flushing first when it is full) and
  // returns its record index.
  private stage(message: Uint8Array): number {
    if (message.length > this.dataBytes) {
      throw new IkelbError('IKELB_ERR_UDP_ARGUMENT', `a ${message.length}-octet datagram does not fit the ${this.dataBytes}-octet send slab`);
    }
    let index = this.pending;
    let offset = this.control[this.layout.control.sendBytes] as number;
    if (index >= this.records || offset + message.length > this.dataBytes) {
      this.flush();
      index = 0;
      offset = 0;
    }
    this.data.set(message, offset);
    this.stagedOffset = offset;
    return index;
  }

  // Called after the record's address fields are written (reply() copies a
  // whole received record, offset and length included, so they go last).
  private finish(index: number, length: number): void {
    const w = index * this.m.words;
    const offset = this.stagedOffset;
    this.meta[w + this.m.offset] = offset;
    this.meta[w + this.m.length] = length;
    this.control[this.layout.control.sendPending] = index + 1;
    this.control[this.layout.control.sendBytes] = (offset + length + 7) & ~7;
  }
}
