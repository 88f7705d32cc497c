// Does an address answer IKE? An IKE_SA_INIT request built so that every
// IKEv2 responder answers it WITHOUT creating state: it offers X25519 but
// carries an ECP-256 KE, so a gateway that serves it answers
// INVALID_KE_PAYLOAD (RFC 7296 §1.2) before any DH work, and a cluster
// primary with a less loaded member answers N(REDIRECT) from its fast path
// (RFC 5685 §4; the probe announces REDIRECT_SUPPORTED unless told not to).
// NO_PROPOSAL_CHOSEN and COOKIE are answers too. What a failover measures:
// "the new active answers IKE_SA_INIT on the VIP" (bench/failover, the demo).
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeMessage, encodeMessage } from '../ike/codec';
import { DhGroup, EncrId, ExchangeType, HeaderFlag, NotifyType, PrfId, TransformAttribute, TransformType } from '../ike/constants';
import { targetText } from '../ike/redirect-provider';
import { parseRedirectData } from '../ike/redirect';

export type IkeProbeAnswerKind = 'redirect' | 'invalid-ke' | 'no-proposal' | 'cookie' | 'other';

export interface IkeProbeAnswer {
  readonly kind: IkeProbeAnswerKind;
  /** The REDIRECT's gateway, for kind 'redirect'. */
  readonly target?: string;
  /** performance.timeOrigin + performance.now() when the request left and the answer arrived (ms, comparable across processes). */
  readonly sentAt: number;
  readonly receivedAt: number;
}

export interface ProbeRequest {
  readonly datagram: Buffer;
  /** Initiator SPI, 16 hex digits. */
  readonly spi: string;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes of one host. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A fresh stateless probe request (new SPI and nonce each time). */
export function probeRequest(options: { readonly redirectSupported?: boolean } = {}): ProbeRequest {
  const spi = randomBytes(8).toString('hex');
  const datagram = encodeMessage({
    header: { spiI: spi, spiR: '0000000000000000', exchangeType: ExchangeType.IKE_SA_INIT, flags: HeaderFlag.INITIATOR, messageId: 0 },
    payloads: [
      {
        kind: 'SA',
        proposals: [
          {
            number: 1,
            protocolId: 1,
            spi: '',
            transforms: [
              { type: TransformType.ENCR, id: EncrId.ENCR_AES_GCM_16, attributes: [{ type: TransformAttribute.KEY_LENGTH, value: 256 }] },
              { type: TransformType.PRF, id: PrfId.PRF_HMAC_SHA2_256, attributes: [] },
              { type: TransformType.DH, id: DhGroup.CURVE25519, attributes: [] },
            ],
          },
        ],
      },
      // The KE does not match the proposal's group: INVALID_KE_PAYLOAD, no state (RFC 7296 §1.2).
      { kind: 'KE', dhGroup: DhGroup.ECP_256, data: randomBytes(64) },
      { kind: 'NONCE', data: randomBytes(32) },
      ...(options.redirectSupported === false ? [] : [{ kind: 'NOTIFY' as const, notifyType: NotifyType.REDIRECT_SUPPORTED, data: Buffer.alloc(0) }]),
    ],
  });
  return { datagram, spi };
}

/** What an answer to `request` says; undefined when it is not one (another SPI, a request, garbage). */
export function classifyAnswer(datagram: Buffer, spi: string): Omit<IkeProbeAnswer, 'sentAt' | 'receivedAt'> | undefined {
  const decoded = decodeMessage(datagram);
  if (!decoded.ok) return undefined;
  const { header, payloads } = decoded.message;
  if (header.spiI !== spi || (header.flags & HeaderFlag.RESPONSE) === 0 || header.exchangeType !== ExchangeType.IKE_SA_INIT) return undefined;
  const notifies = payloads.flatMap((p) => (p.kind === 'NOTIFY' ? [p] : []));
  const redirect = notifies.find((n) => n.notifyType === NotifyType.REDIRECT);
  if (redirect !== undefined) {
    const parsed = parseRedirectData(redirect.data);
    return parsed === undefined ? { kind: 'redirect' } : { kind: 'redirect', target: targetText(parsed.target) };
  }
  if (notifies.some((n) => n.notifyType === NotifyType.INVALID_KE_PAYLOAD)) return { kind: 'invalid-ke' };
  if (notifies.some((n) => n.notifyType === NotifyType.NO_PROPOSAL_CHOSEN)) return { kind: 'no-proposal' };
  if (notifies.some((n) => n.notifyType === NotifyType.COOKIE)) return { kind: 'cookie' };
  return { kind: 'other' };
}

export interface IkeProberOptions {
  readonly address: string;
  readonly port: number;
  /** A request every intervalMs (default 10). */
  readonly intervalMs?: number;
  readonly redirectSupported?: boolean;
  /** Called for every answer, in arrival order. */
  readonly onAnswer: (answer: IkeProbeAnswer) => void;
}

/**
 * Probes an address continuously until stop(): one request every interval,
 * each with its own SPI; an answer is matched to its request (so an answer
 * to an old request is reported with that request's send time).
 */
export class IkeProber {
  private readonly socket: dgram.Socket;
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: IkeProberOptions) {
    this.socket = dgram.createSocket(isIPv6(o.address) ? 'udp6' : 'udp4');
    this.socket.on('error', () => undefined); // ICMP unreachable while nobody listens: keep probing
    this.socket.on('message', (msg) => {
      const receivedAt = preciseNow();
      const spi = msg.subarray(0, 8).toString('hex');
      const sentAt = this.pending.get(spi);
      if (sentAt === undefined) return;
      const answer = classifyAnswer(msg, spi);
      if (answer === undefined) return;
      this.pending.delete(spi);
      o.onAnswer({ ...answer, sentAt, receivedAt });
    });
  }

  start(): void {
    const send = (): void => {
      const request = probeRequest(this.o.redirectSupported === undefined ? {} : { redirectSupported: this.o.redirectSupported });
      const sentAt = preciseNow();
      this.pending.set(request.spi, sentAt);
      // Requests nobody answered are forgotten after a while (bounded memory).
      if (this.pending.size > 4096) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      this.socket.send(request.datagram, this.o.port, this.o.address);
    };
    send();
    this.timer = setInterval(send, this.o.intervalMs ?? 10);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.socket.close();
  }
}

/** One probe: the answer, or undefined after timeoutMs. */
export function probeOnce(address: string, port: number, timeoutMs: number, redirectSupported = true): Promise<IkeProbeAnswer | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const prober = new IkeProber({
      address,
      port,
      intervalMs: timeoutMs * 2,
      redirectSupported,
      onAnswer: (answer) => finish(answer),
    });
    const finish = (answer: IkeProbeAnswer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      prober.stop();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    prober.start();
  });
}
