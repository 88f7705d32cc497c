// Cuts a TCP byte stream into CLB frames. The length field is checked as soon
// as its two octets arrive and the version as soon as its octet arrives, so a
// peer claiming a huge frame or speaking something else is refused before we
// buffer anything more. At most one partial frame is ever held.
import { maxFrameLength, minFrameLength, protocolVersion } from './frame';
import type { RefusalReason } from './refusals';

export type ReadResult = { readonly frames: Buffer[]; readonly error?: RefusalReason };

export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private failed = false;

  /** Bytes of an incomplete frame held right now. */
  get buffered(): number {
    return this.pending.length;
  }

  /**
   * Adds received bytes; returns the complete frames, and an error once the
   * stream can no longer be trusted (after which every push returns nothing).
   */
  push(chunk: Buffer): ReadResult {
    if (this.failed) return { frames: [] };
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      if (data.length >= 2) {
        const length = data.readUInt16BE(0);
        if (length < minFrameLength) return this.fail(frames, 'bad-length');
        if (length > maxFrameLength) return this.fail(frames, 'oversized');
        if (data.length >= 3 && data.readUInt8(2) !== protocolVersion) return this.fail(frames, 'bad-version');
        if (data.length >= length) {
          // Copy: the frame outlives the socket's chunk buffers.
          frames.push(Buffer.from(data.subarray(0, length)));
          data = data.subarray(length);
          continue;
        }
      }
      break;
    }
    this.pending = Buffer.from(data);
    return { frames };
  }

  /** The peer closed: true when it left a partial frame behind. */
  endedMidFrame(): boolean {
    return !this.failed && this.pending.length > 0;
  }

  private fail(frames: Buffer[], error: RefusalReason): ReadResult {
    this.failed = true;
    this.pending = Buffer.alloc(0);
    return { frames, error };
  }
}
