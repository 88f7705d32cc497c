// Key schedule of the CLB channel (docs/CLB-PROTOCOL.md, "Keys").
//   cluster key  = HKDF-SHA256(IKM = secret,       salt = none,             info = "ikelb clb v1 cluster")
//   open key     = HKDF-SHA256(IKM = cluster key,  salt = none,             info = "ikelb clb v1 open")
//   session keys = HKDF-SHA256(IKM = cluster key,  salt = Ns | Np,          info = "ikelb clb v1 <direction>" | member id)
// The per-connection nonces make every connection's keys fresh, so a frame
// recorded on one connection never verifies on another; one key per direction
// means a frame cannot be reflected back to its sender.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const macLength = 32; // HMAC-SHA256 output
export const nonceLength = 32;

const labelCluster = 'ikelb clb v1 cluster';
const labelOpen = 'ikelb clb v1 open';
const labelToPrimary = 'ikelb clb v1 subordinate to primary';
const labelToSubordinate = 'ikelb clb v1 primary to subordinate';

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, macLength));
}

/** The long-term keys every member derives from the configured secret. */
export interface ClusterKeys {
  readonly cluster: Buffer;
  /** MACs the OPEN frame, the only one sent before both nonces are known. */
  readonly open: Buffer;
}

export function deriveClusterKeys(secret: string): ClusterKeys {
  const cluster = hkdf(Buffer.from(secret, 'utf8'), Buffer.alloc(0), Buffer.from(labelCluster));
  return { cluster, open: hkdf(cluster, Buffer.alloc(0), Buffer.from(labelOpen)) };
}

/** The two directional keys of one connection. */
export interface SessionKeys {
  readonly toPrimary: Buffer;
  readonly toSubordinate: Buffer;
}

export function deriveSessionKeys(keys: ClusterKeys, subordinateNonce: Buffer, primaryNonce: Buffer, memberId: number): SessionKeys {
  const salt = Buffer.concat([subordinateNonce, primaryNonce]);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(memberId);
  return {
    toPrimary: hkdf(keys.cluster, salt, Buffer.concat([Buffer.from(labelToPrimary), id])),
    toSubordinate: hkdf(keys.cluster, salt, Buffer.concat([Buffer.from(labelToSubordinate), id])),
  };
}

export function freshNonce(): Buffer {
  return randomBytes(nonceLength);
}

export function computeMac(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Constant-time: the time taken does not depend on where the MACs differ. */
export function macMatches(key: Buffer, data: Buffer, mac: Buffer): boolean {
  const expected = computeMac(key, data);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}
