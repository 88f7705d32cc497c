// NAT detection (RFC 7296 §2.23): each side sends
//   NAT_DETECTION_SOURCE_IP      = SHA-1(SPIi | SPIr | source IP | source port)
//   NAT_DETECTION_DESTINATION_IP = SHA-1(SPIi | SPIr | destination IP | destination port)
// in IKE_SA_INIT (SPIr is zero in the request). A receiver recomputes them
// from the addresses the datagram really carried: a source mismatch means a
// NAT in front of the peer, a destination mismatch one in front of us. Then
// both move to port 4500 with the non-ESP marker (RFC 3948).
import { NotifyType } from './constants';
import type { IkeCrypto } from './crypto-port';
import type { Endpoint } from './ike-sa';
import { notify, notifies, type NotifyPayload, type Payload } from './payloads';
import { addressToBytes } from '../ip-address';

export function natHash(crypto: IkeCrypto, spiI: Buffer, spiR: Buffer, endpoint: Endpoint): Buffer {
  // One input Buffer, hashed in one call (four per handshake).
  const address = addressToBytes(endpoint.address);
  const input = Buffer.allocUnsafe(18 + address.length);
  spiI.copy(input, 0);
  spiR.copy(input, 8);
  address.copy(input, 16);
  input.writeUInt16BE(endpoint.port, 16 + address.length);
  return crypto.sha1([input]);
}

/** Our two NAT_DETECTION notifies for a message from `local` to `remote`. */
export function natNotifies(crypto: IkeCrypto, spiI: Buffer, spiR: Buffer, local: Endpoint, remote: Endpoint): NotifyPayload[] {
  return [
    notify(NotifyType.NAT_DETECTION_SOURCE_IP, natHash(crypto, spiI, spiR, local)),
    notify(NotifyType.NAT_DETECTION_DESTINATION_IP, natHash(crypto, spiI, spiR, remote)),
  ];
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
  const all = notifies(payloads);
  const sources = all.filter((n) => n.notifyType === NotifyType.NAT_DETECTION_SOURCE_IP);
  const destination = all.find((n) => n.notifyType === NotifyType.NAT_DETECTION_DESTINATION_IP);
  if (sources.length === 0 || destination === undefined) return { supported: false, local: false, remote: false };
  const expectedSource = natHash(crypto, spiI, spiR, remote);
  const expectedDestination = natHash(crypto, spiI, spiR, local);
  return {
    supported: true,
    local: !destination.data.equals(expectedDestination),
    remote: !sources.some((n) => n.data.equals(expectedSource)),
  };
}
