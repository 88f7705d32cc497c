// The algorithms the config language names, with their IKEv2 transform
// numbers (RFC 7296 §3.3.2, IANA "IKEv2 Parameters") so the gateway never
// maps names to numbers on its own. Only what ikelb implements is listed:
// anything else in a config is an error that names this set.

/** `encryption` keywords of `crypto ikev2 proposal`. */
export const ENCRYPTION = {
  // ENCR_AES_GCM_16 = 20 (RFC 5282 §7), key length attribute in bits.
  'aes-gcm-128': { transformId: 20, keyLength: 128, aead: true },
  'aes-gcm-256': { transformId: 20, keyLength: 256, aead: true },
  // ENCR_AES_CBC = 12 (RFC 3602, RFC 7296 §3.3.2).
  'aes-cbc-128': { transformId: 12, keyLength: 128, aead: false },
  'aes-cbc-192': { transformId: 12, keyLength: 192, aead: false },
  'aes-cbc-256': { transformId: 12, keyLength: 256, aead: false },
} as const;
export type EncryptionAlgorithm = keyof typeof ENCRYPTION;

/** `integrity` keywords: AUTH_HMAC_SHA2_*_* (RFC 4868 §2, IANA transform type 3). */
export const INTEGRITY = {
  sha256: { transformId: 12, icvLength: 16 },
  sha384: { transformId: 13, icvLength: 24 },
  sha512: { transformId: 14, icvLength: 32 },
} as const;
export type IntegrityAlgorithm = keyof typeof INTEGRITY;

/** `prf` keywords: PRF_HMAC_SHA2_* (RFC 4868 §2, IANA transform type 2). */
export const PRF = {
  sha256: { transformId: 5 },
  sha384: { transformId: 6 },
  sha512: { transformId: 7 },
} as const;
export type PrfAlgorithm = keyof typeof PRF;

/** `group` numbers: Diffie-Hellman groups (IANA transform type 4). */
export const DH_GROUPS = {
  14: { name: 'MODP-2048', rfc: 'RFC 3526 §3' },
  19: { name: 'ECP-256', rfc: 'RFC 5903 §3.1' },
  20: { name: 'ECP-384', rfc: 'RFC 5903 §3.2' },
  31: { name: 'Curve25519', rfc: 'RFC 8031 §2' },
} as const;
export type DhGroup = keyof typeof DH_GROUPS;
export const DH_GROUP_NUMBERS = Object.keys(DH_GROUPS).map(Number) as DhGroup[];

export function isDhGroup(n: number): n is DhGroup {
  return Object.prototype.hasOwnProperty.call(DH_GROUPS, n);
}

/** ESP encryption of `crypto ipsec transform-set`: ENCR_AES_GCM_16 (20) or ENCR_AES_CBC (12). */
export const ESP_ENCRYPTION = {
  'esp-gcm': { transformId: 20, keyLengths: [128, 256], defaultKeyLength: 128, aead: true },
  'esp-aes': { transformId: 12, keyLengths: [128, 192, 256], defaultKeyLength: 128, aead: false },
} as const;
export type EspEncryption = keyof typeof ESP_ENCRYPTION;

/** ESP integrity of a transform set: AUTH_HMAC_SHA2_*_* (RFC 4868). */
export const ESP_INTEGRITY = {
  'esp-sha256-hmac': { transformId: 12 },
  'esp-sha384-hmac': { transformId: 13 },
  'esp-sha512-hmac': { transformId: 14 },
} as const;
export type EspIntegrity = keyof typeof ESP_INTEGRITY;
