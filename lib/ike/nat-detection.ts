// NAT detection (RFC 7296 §2.23): each side sends
//   NAT_DETECTION_SOURCE_IP      = SHA-1(SPIi | SPIr | source IP | source port)
//   NAT_DETECTION_DESTINATION_IP = SHA-1(SPIi | SPIr | destination IP | destination port)
// in IKE_SA_INIT (SPIr is zero in the request). A receiver recomputes them
// from the addresses the datagram really carried: a source mismatch means a
// NAT in front of the peer, a destination mismatch one in front of us. Then
// both move to port 4500 with the non-ESP marker (RFC 3948).
import { NotifyType, PayloadType } from './constants';
import type { IkeCrypto } from './crypto-port';
import type { Endpoint } from './ike-sa';
import { notify, type NotifyPayload, type Payload } from './payloads';
import { writeAddress } from '../ip-address';

// The hash input is assembled in one of two scratch Buffers (IPv4, IPv6) and
// hashed at once: four hashes per handshake, no Buffer made for the input or
// the address.
const address = Buffer.alloc(16);
const input4 = Buffer.alloc(8 + 8 + 4 + 2);
const input6 = Buffer.alloc(8 + 8 + 16 + 2);

export function natHash(crypto: IkeCrypto, spiI: Buffer, spiR: Buffer, endpoint: Endpoint): Buffer {
  const family = writeAddress(endpoint.address, address);
  if (family === undefined) throw new RangeError(`'${endpoint.address}' is not an IP address`);
  const length = family === 4 ? 4 : 16;
  const input = family === 4 ? input4 : input6;
  input.set(spiI, 0);
  input.set(spiR, 8);
  for (let i = 0; i < length; i++) input[16 + i] = address[i] as number;
  input.writeUInt16BE(endpoint.port, 16 + length);
  return crypto.sha1([input]);
}

/** Our two NAT_DETECTION notifies for a message from `local` to `remote`, appended to `out` when given. */
export function natNotifies(crypto: IkeCrypto, spiI: Buffer, spiR: Buffer, local: Endpoint, remote: Endpoint, out: Payload[] = []): Payload[] {
  out.push(
    notify(NotifyType.NAT_DETECTION_SOURCE_IP, natHash(crypto, spiI, spiR, local)),
    notify(NotifyType.NAT_DETECTION_DESTINATION_IP, natHash(crypto, spiI, spiR, remote)),
  );
  return out;
}

export interface NatResult {
  /** The peer sent NAT detection notifies at all (else NAT-T is off, §2.23). */
  readonly supported: boolean;
  /** A NAT changed our address on the way (destination hash mismatch). */
  readonly local: boolean;
  /** A NAT changed the peer's address (no source hash matched). */
  readonly remote: boolean;
}

/**
 * Checks the peer's NAT detection notifies against the addresses the
 * datagram arrived with (`local` = where it arrived, `remote` = where from).
 */
export function detectNat(crypto: IkeCrypto, payloads: readonly Payload[], spiI: Buffer, spiR: Buffer, local: Endpoint, remote: Endpoint): NatResult {
  let sources = 0;
  let destination: NotifyPayload | undefined;
  for (const p of payloads) {
    if (p.type !== PayloadType.NOTIFY) continue;
    if (p.notifyType === NotifyType.NAT_DETECTION_SOURCE_IP) sources++;
    else if (p.notifyType === NotifyType.NAT_DETECTION_DESTINATION_IP) destination ??= p;
  }
  if (sources === 0 || destination === undefined) return { supported: false, local: false, remote: false };
  const expectedSource = natHash(crypto, spiI, spiR, remote);
  const expectedDestination = natHash(crypto, spiI, spiR, local);
  let sourceMatches = false;
  for (const p of payloads) {
    if (p.type === PayloadType.NOTIFY && p.notifyType === NotifyType.NAT_DETECTION_SOURCE_IP && p.data.equals(expectedSource)) sourceMatches = true;
  }
  return { supported: true, local: !destination.data.equals(expectedDestination), remote: !sourceMatches };
}
