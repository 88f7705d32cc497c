// The authenticated half of one CLB connection, without I/O: seals outgoing
// frames with the send key and the next sequence number, and opens incoming
// ones in the order that matters — MAC first (nothing in a frame is believed
// before it verifies), then type, member id and sequence number.
import { frameHeader, frameMacMatches, framePayload, messageTypeName, sealFrame, type FrameHeader, type MessageTypeName, MessageType } from './frame';
import type { RefusalReason } from './refusals';

export type OpenedFrame =
  | { readonly ok: true; readonly type: MessageTypeName; readonly header: FrameHeader; readonly payload: Buffer }
  | { readonly ok: false; readonly reason: RefusalReason; readonly detail: string };

export class ChannelCrypto {
  private nextSend = 0;
  private lastReceived = -1;
  private verifiedAny = false;

  /**
   * memberId undefined: learn it from the first verified frame (the primary
   * does, from OPEN); afterwards every frame must carry it.
   */
  constructor(
    private sendKey: Buffer,
    private receiveKey: Buffer,
    private memberIdValue: number | undefined,
  ) {}

  get memberId(): number | undefined {
    return this.memberIdValue;
  }

  /** Switches to the session keys; sequence numbers continue. */
  rekey(sendKey: Buffer, receiveKey: Buffer): void {
    this.sendKey = sendKey;
    this.receiveKey = receiveKey;
  }

  seal(type: MessageTypeName, payload: Buffer): Buffer {
    if (this.memberIdValue === undefined) throw new Error('CLB channel: no member id yet');
    return sealFrame(this.sendKey, MessageType[type], this.memberIdValue, this.nextSend++, payload);
  }

  open(frame: Buffer): OpenedFrame {
    if (!frameMacMatches(this.receiveKey, frame)) {
      return this.verifiedAny
        ? { ok: false, reason: 'bad-mac', detail: 'frame MAC does not verify (altered in transit)' }
        : { ok: false, reason: 'wrong-key', detail: 'first frame MAC does not verify (different cluster secret?)' };
    }
    const header = frameHeader(frame);
    const type = messageTypeName(header.type);
    if (type === undefined) return { ok: false, reason: 'bad-type', detail: `message type ${header.type}` };
    if (this.memberIdValue === undefined) {
      if (header.memberId === 0) return { ok: false, reason: 'unknown-member', detail: 'member id 0 is reserved' };
      this.memberIdValue = header.memberId;
    } else if (header.memberId !== this.memberIdValue) {
      return { ok: false, reason: 'unknown-member', detail: `member id ${header.memberId} on the connection of member ${this.memberIdValue}` };
    }
    if (header.sequence <= this.lastReceived) {
      return { ok: false, reason: 'replay', detail: `sequence ${header.sequence} after ${this.lastReceived}` };
    }
    if (header.sequence !== this.lastReceived + 1) {
      return { ok: false, reason: 'bad-sequence', detail: `sequence ${header.sequence}, expected ${this.lastReceived + 1}` };
    }
    this.lastReceived = header.sequence;
    this.verifiedAny = true;
    return { ok: true, type, header, payload: framePayload(frame) };
  }
}
