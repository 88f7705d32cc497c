// GENERATED from native/ike/constants.def by test/support/gen-constants.mjs (npm run gen:constants).
// Do not edit: change the .def file and regenerate. test/ike/constants-sync.test.ts
// fails when this file is out of date.
/* eslint-disable */

/** Exchange types in the IKE header (RFC 7296 §3.1; 0-33 are IKEv1's) */
export const ExchangeType = {
  /** RFC 7296 §1.2 */
  IKE_SA_INIT: 34,
  /** RFC 7296 §1.2 */
  IKE_AUTH: 35,
  /** RFC 7296 §1.3 */
  CREATE_CHILD_SA: 36,
  /** RFC 7296 §1.4 */
  INFORMATIONAL: 37,
  /** RFC 5723 §4 */
  IKE_SESSION_RESUME: 38,
  /** G-IKEv2 (IANA) */
  GSA_AUTH: 39,
  /** G-IKEv2 (IANA) */
  GSA_REGISTRATION: 40,
  /** G-IKEv2 (IANA) */
  GSA_REKEY: 41,
  /** RFC 9242 §3 */
  IKE_INTERMEDIATE: 43,
  /** RFC 9370 §2.2.2 */
  IKE_FOLLOWUP_KE: 44,
} as const;
export type ExchangeType = (typeof ExchangeType)[keyof typeof ExchangeType];

/** Bits of the IKE header Flags octet (RFC 7296 §3.1); the other bits are reserved */
export const HeaderFlag = {
  /** RFC 7296 §3.1 (I) */
  INITIATOR: 0x08,
  /** RFC 7296 §3.1 (V) */
  VERSION: 0x10,
  /** RFC 7296 §3.1 (R) */
  RESPONSE: 0x20,
} as const;
export type HeaderFlag = (typeof HeaderFlag)[keyof typeof HeaderFlag];

/** IKE protocol version numbers (RFC 7296 §2.5, §3.1) */
export const IkeVersion = {
  /** RFC 7296 §3.1 */
  MAJOR: 2,
  /** RFC 7296 §3.1 */
  MINOR: 0,
} as const;
export type IkeVersion = (typeof IkeVersion)[keyof typeof IkeVersion];

/** Fixed sizes of wire structures in octets */
export const WireSize = {
  /** RFC 7296 §3.1 */
  IKE_HEADER: 28,
  /** RFC 7296 §3.2 */
  PAYLOAD_HEADER: 4,
  /** RFC 7296 §3.1 */
  IKE_SPI: 8,
  /** RFC 7296 §3.9 */
  NONCE_MIN: 16,
  /** RFC 7296 §3.9 */
  NONCE_MAX: 256,
  /** RFC 1035 §2.3.4 (a domain name is at most 255 octets) */
  FQDN_MAX: 255,
  /** RFC 3948 §2.2 */
  NON_ESP_MARKER: 4,
} as const;
export type WireSize = (typeof WireSize)[keyof typeof WireSize];

/** ikelb's own bounds on hostile input (see the comment in constants.def) */
export const Limit = {
  /** ikelb: payloads per message, and per SK plaintext */
  MAX_PAYLOADS: 256,
  /** ikelb: KE data octets for a group without a fixed length */
  MIN_UNKNOWN_KE_DATA: 1,
  /** ikelb: KE data octets for a group without a fixed length */
  MAX_UNKNOWN_KE_DATA: 2048,
} as const;
export type Limit = (typeof Limit)[keyof typeof Limit];

/** Payload types carried in Next Payload fields (RFC 7296 §3.2) */
export const PayloadType = {
  /** RFC 7296 §3.2 (no next payload) */
  NONE: 0,
  /** RFC 7296 §3.3 */
  SA: 33,
  /** RFC 7296 §3.4 */
  KE: 34,
  /** RFC 7296 §3.5 */
  IDi: 35,
  /** RFC 7296 §3.5 */
  IDr: 36,
  /** RFC 7296 §3.6 */
  CERT: 37,
  /** RFC 7296 §3.7 */
  CERTREQ: 38,
  /** RFC 7296 §3.8 */
  AUTH: 39,
  /** RFC 7296 §3.9 */
  NONCE: 40,
  /** RFC 7296 §3.10 */
  NOTIFY: 41,
  /** RFC 7296 §3.11 */
  DELETE: 42,
  /** RFC 7296 §3.12 */
  VENDOR_ID: 43,
  /** RFC 7296 §3.13 */
  TSi: 44,
  /** RFC 7296 §3.13 */
  TSr: 45,
  /** RFC 7296 §3.14 */
  SK: 46,
  /** RFC 7296 §3.15 */
  CP: 47,
  /** RFC 7296 §3.16 */
  EAP: 48,
  /** RFC 6467 §3 (not decoded: kept raw) */
  GSPM: 49,
  /** G-IKEv2 (IANA; not decoded: kept raw) */
  IDg: 50,
  /** G-IKEv2 (IANA; not decoded: kept raw) */
  GSA: 51,
  /** G-IKEv2 (IANA; not decoded: kept raw) */
  KD: 52,
  /** RFC 7383 §2.5 */
  SKF: 53,
  /** RFC 8019 §8.1.2 (not decoded: kept raw) */
  PS: 54,
} as const;
export type PayloadType = (typeof PayloadType)[keyof typeof PayloadType];

/** Bits of the generic payload header's second octet (RFC 7296 §3.2) */
export const PayloadFlag = {
  /** RFC 7296 §2.5, §3.2 */
  CRITICAL: 0x80,
} as const;
export type PayloadFlag = (typeof PayloadFlag)[keyof typeof PayloadFlag];

/** Security protocol identifiers (RFC 7296 §3.3.1) */
export const ProtocolId = {
  /** RFC 7296 §3.3.1 */
  IKE: 1,
  /** RFC 7296 §3.3.1 */
  AH: 2,
  /** RFC 7296 §3.3.1 */
  ESP: 3,
  /** RFC 4595 §4.2 */
  FC_ESP_HEADER: 4,
  /** RFC 4595 §4.2 */
  FC_CT_AUTHENTICATION: 5,
} as const;
export type ProtocolId = (typeof ProtocolId)[keyof typeof ProtocolId];

/** Last Substruc values chaining proposals and transforms (RFC 7296 §3.3.1, §3.3.2) */
export const Substructure = {
  /** RFC 7296 §3.3.1 */
  LAST: 0,
  /** RFC 7296 §3.3.1 */
  MORE_PROPOSALS: 2,
  /** RFC 7296 §3.3.2 */
  MORE_TRANSFORMS: 3,
} as const;
export type Substructure = (typeof Substructure)[keyof typeof Substructure];

/** Transform types (RFC 7296 §3.3.2; RFC 9370 renames 4 to Key Exchange Method) */
export const TransformType = {
  /** RFC 7296 §3.3.2 */
  ENCR: 1,
  /** RFC 7296 §3.3.2 */
  PRF: 2,
  /** RFC 7296 §3.3.2 */
  INTEG: 3,
  /** RFC 7296 §3.3.2, RFC 9370 §2.2.1 */
  DH: 4,
  /** RFC 7296 §3.3.2 */
  ESN: 5,
  /** RFC 9370 §2.2.1 */
  ADDKE1: 6,
  /** RFC 9370 §2.2.1 */
  ADDKE2: 7,
  /** RFC 9370 §2.2.1 */
  ADDKE3: 8,
  /** RFC 9370 §2.2.1 */
  ADDKE4: 9,
  /** RFC 9370 §2.2.1 */
  ADDKE5: 10,
  /** RFC 9370 §2.2.1 */
  ADDKE6: 11,
  /** RFC 9370 §2.2.1 */
  ADDKE7: 12,
} as const;
export type TransformType = (typeof TransformType)[keyof typeof TransformType];

/** Transform type 1 (ENCR) IDs (RFC 7296 §3.3.2; IANA) */
export const EncrId = {
  /** RFC 1827 */
  ENCR_DES_IV64: 1,
  /** RFC 2405 */
  ENCR_DES: 2,
  /** RFC 2451 */
  ENCR_3DES: 3,
  /** RFC 2451 */
  ENCR_RC5: 4,
  /** RFC 2451 */
  ENCR_IDEA: 5,
  /** RFC 2451 */
  ENCR_CAST: 6,
  /** RFC 2451 */
  ENCR_BLOWFISH: 7,
  /** RFC 2451 */
  ENCR_3IDEA: 8,
  /** RFC 7296 §3.3.2 */
  ENCR_DES_IV32: 9,
  /** RFC 2410 */
  ENCR_NULL: 11,
  /** RFC 3602 */
  ENCR_AES_CBC: 12,
  /** RFC 3686 */
  ENCR_AES_CTR: 13,
  /** RFC 4309 */
  ENCR_AES_CCM_8: 14,
  /** RFC 4309 */
  ENCR_AES_CCM_12: 15,
  /** RFC 4309 */
  ENCR_AES_CCM_16: 16,
  /** RFC 4106 */
  ENCR_AES_GCM_8: 18,
  /** RFC 4106 */
  ENCR_AES_GCM_12: 19,
  /** RFC 4106 */
  ENCR_AES_GCM_16: 20,
  /** RFC 4543 */
  ENCR_NULL_AUTH_AES_GMAC: 21,
  /** RFC 5529 */
  ENCR_CAMELLIA_CBC: 23,
  /** RFC 5529 */
  ENCR_CAMELLIA_CTR: 24,
  /** RFC 5529 */
  ENCR_CAMELLIA_CCM_8: 25,
  /** RFC 5529 */
  ENCR_CAMELLIA_CCM_12: 26,
  /** RFC 5529 */
  ENCR_CAMELLIA_CCM_16: 27,
  /** RFC 7634 */
  ENCR_CHACHA20_POLY1305: 28,
  /** RFC 8750 */
  ENCR_AES_CCM_8_IIV: 29,
  /** RFC 8750 */
  ENCR_AES_GCM_16_IIV: 30,
  /** RFC 8750 */
  ENCR_CHACHA20_POLY1305_IIV: 31,
  /** RFC 9227 */
  ENCR_KUZNYECHIK_MGM_KTREE: 32,
  /** RFC 9227 */
  ENCR_MAGMA_MGM_KTREE: 33,
  /** RFC 9227 */
  ENCR_KUZNYECHIK_MGM_MAC_KTREE: 34,
  /** RFC 9227 */
  ENCR_MAGMA_MGM_MAC_KTREE: 35,
} as const;
export type EncrId = (typeof EncrId)[keyof typeof EncrId];

/** Transform type 2 (PRF) IDs (RFC 7296 §3.3.2; IANA) */
export const PrfId = {
  /** RFC 2104 */
  PRF_HMAC_MD5: 1,
  /** RFC 2104 */
  PRF_HMAC_SHA1: 2,
  /** RFC 7296 §3.3.2 */
  PRF_HMAC_TIGER: 3,
  /** RFC 4434 */
  PRF_AES128_XCBC: 4,
  /** RFC 4868 */
  PRF_HMAC_SHA2_256: 5,
  /** RFC 4868 */
  PRF_HMAC_SHA2_384: 6,
  /** RFC 4868 */
  PRF_HMAC_SHA2_512: 7,
  /** RFC 4615 */
  PRF_AES128_CMAC: 8,
  /** RFC 9385 */
  PRF_HMAC_STREEBOG_512: 9,
} as const;
export type PrfId = (typeof PrfId)[keyof typeof PrfId];

/** Transform type 3 (INTEG) IDs (RFC 7296 §3.3.2; IANA) */
export const IntegId = {
  /** RFC 7296 §3.3.2 */
  AUTH_NONE: 0,
  /** RFC 2403 */
  AUTH_HMAC_MD5_96: 1,
  /** RFC 2404 */
  AUTH_HMAC_SHA1_96: 2,
  /** RFC 7296 §3.3.2 */
  AUTH_DES_MAC: 3,
  /** RFC 1826 */
  AUTH_KPDK_MD5: 4,
  /** RFC 3566 */
  AUTH_AES_XCBC_96: 5,
  /** RFC 4595 */
  AUTH_HMAC_MD5_128: 6,
  /** RFC 4595 */
  AUTH_HMAC_SHA1_160: 7,
  /** RFC 4494 */
  AUTH_AES_CMAC_96: 8,
  /** RFC 4543 */
  AUTH_AES_128_GMAC: 9,
  /** RFC 4543 */
  AUTH_AES_192_GMAC: 10,
  /** RFC 4543 */
  AUTH_AES_256_GMAC: 11,
  /** RFC 4868 */
  AUTH_HMAC_SHA2_256_128: 12,
  /** RFC 4868 */
  AUTH_HMAC_SHA2_384_192: 13,
  /** RFC 4868 */
  AUTH_HMAC_SHA2_512_256: 14,
} as const;
export type IntegId = (typeof IntegId)[keyof typeof IntegId];

/** Transform type 4 (DH / key exchange method) IDs, also the KE payload's group (RFC 7296 §3.3.2, §3.4; IANA) */
export const DhGroup = {
  /** RFC 7296 §3.3.2 */
  NONE: 0,
  /** RFC 7296 App. B.1 */
  MODP_768: 1,
  /** RFC 7296 App. B.2 */
  MODP_1024: 2,
  /** RFC 3526 §2 */
  MODP_1536: 5,
  /** RFC 3526 §3 */
  MODP_2048: 14,
  /** RFC 3526 §4 */
  MODP_3072: 15,
  /** RFC 3526 §5 */
  MODP_4096: 16,
  /** RFC 3526 §6 */
  MODP_6144: 17,
  /** RFC 3526 §7 */
  MODP_8192: 18,
  /** RFC 5903 §3.1 */
  ECP_256: 19,
  /** RFC 5903 §3.2 */
  ECP_384: 20,
  /** RFC 5903 §3.3 */
  ECP_521: 21,
  /** RFC 5114 §2.1 */
  MODP_1024_160: 22,
  /** RFC 5114 §2.2 */
  MODP_2048_224: 23,
  /** RFC 5114 §2.3 */
  MODP_2048_256: 24,
  /** RFC 5114 §2.6 */
  ECP_192: 25,
  /** RFC 5114 §2.7 */
  ECP_224: 26,
  /** RFC 6954 §3 */
  BRAINPOOL_P224R1: 27,
  /** RFC 6954 §3 */
  BRAINPOOL_P256R1: 28,
  /** RFC 6954 §3 */
  BRAINPOOL_P384R1: 29,
  /** RFC 6954 §3 */
  BRAINPOOL_P512R1: 30,
  /** RFC 8031 §2 */
  CURVE25519: 31,
  /** RFC 8031 §2 */
  CURVE448: 32,
  /** RFC 9385 */
  GOST3410_2012_256: 33,
  /** RFC 9385 */
  GOST3410_2012_512: 34,
  /** draft-ietf-ipsecme-ikev2-mlkem (IANA) */
  ML_KEM_512: 35,
  /** draft-ietf-ipsecme-ikev2-mlkem (IANA) */
  ML_KEM_768: 36,
  /** draft-ietf-ipsecme-ikev2-mlkem (IANA) */
  ML_KEM_1024: 37,
} as const;
export type DhGroup = (typeof DhGroup)[keyof typeof DhGroup];

/** Transform type 5 (ESN) IDs (RFC 7296 §3.3.2) */
export const EsnId = {
  /** RFC 7296 §3.3.2 */
  NO_ESN: 0,
  /** RFC 7296 §3.3.2 */
  ESN: 1,
} as const;
export type EsnId = (typeof EsnId)[keyof typeof EsnId];

/** Transform attribute types (RFC 7296 §3.3.5); the AF bit is not part of the type */
export const TransformAttribute = {
  /** RFC 7296 §3.3.5 (TV format, key length in bits) */
  KEY_LENGTH: 14,
} as const;
export type TransformAttribute = (typeof TransformAttribute)[keyof typeof TransformAttribute];

/** Attribute Format (AF) bit of a transform attribute's first field (RFC 7296 §3.3.5) */
export const AttributeFormat = {
  /** RFC 7296 §3.3.5 (AF=1: 2-octet value, no length) */
  TV: 0x8000,
} as const;
export type AttributeFormat = (typeof AttributeFormat)[keyof typeof AttributeFormat];

/** Identification types (RFC 7296 §3.5) */
export const IdType = {
  /** RFC 7296 §3.5 */
  ID_IPV4_ADDR: 1,
  /** RFC 7296 §3.5 */
  ID_FQDN: 2,
  /** RFC 7296 §3.5 */
  ID_RFC822_ADDR: 3,
  /** RFC 7296 §3.5 */
  ID_IPV6_ADDR: 5,
  /** RFC 7296 §3.5 */
  ID_DER_ASN1_DN: 9,
  /** RFC 7296 §3.5 */
  ID_DER_ASN1_GN: 10,
  /** RFC 7296 §3.5 */
  ID_KEY_ID: 11,
  /** RFC 4595 §3.2 */
  ID_FC_NAME: 12,
  /** RFC 7619 §3 */
  ID_NULL: 13,
} as const;
export type IdType = (typeof IdType)[keyof typeof IdType];

/** Certificate encodings of CERT and CERTREQ (RFC 7296 §3.6) */
export const CertEncoding = {
  /** RFC 7296 §3.6 */
  PKCS7_X509: 1,
  /** RFC 7296 §3.6 */
  PGP: 2,
  /** RFC 7296 §3.6 */
  DNS_SIGNED_KEY: 3,
  /** RFC 7296 §3.6 */
  X509_SIGNATURE: 4,
  /** RFC 7296 §3.6 */
  KERBEROS_TOKEN: 6,
  /** RFC 7296 §3.6 */
  CRL: 7,
  /** RFC 7296 §3.6 */
  ARL: 8,
  /** RFC 7296 §3.6 */
  SPKI: 9,
  /** RFC 7296 §3.6 */
  X509_ATTRIBUTE: 10,
  /** RFC 7296 §3.6 (deprecated by RFC 7670) */
  RAW_RSA_KEY: 11,
  /** RFC 7296 §3.6 */
  HASH_URL_X509_CERT: 12,
  /** RFC 7296 §3.6 */
  HASH_URL_X509_BUNDLE: 13,
  /** RFC 4806 §3.1 */
  OCSP_CONTENT: 14,
  /** RFC 7670 §3 */
  RAW_PUBLIC_KEY: 15,
} as const;
export type CertEncoding = (typeof CertEncoding)[keyof typeof CertEncoding];

/** Authentication methods of the AUTH payload (RFC 7296 §3.8) */
export const AuthMethod = {
  /** RFC 7296 §3.8 */
  RSA_SIGNATURE: 1,
  /** RFC 7296 §3.8 */
  SHARED_KEY_MIC: 2,
  /** RFC 7296 §3.8 */
  DSS_SIGNATURE: 3,
  /** RFC 4754 §7 */
  ECDSA_SHA256_P256: 9,
  /** RFC 4754 §7 */
  ECDSA_SHA384_P384: 10,
  /** RFC 4754 §7 */
  ECDSA_SHA512_P521: 11,
  /** RFC 6467 §4 */
  GENERIC_SECURE_PASSWORD: 12,
  /** RFC 7619 §2 */
  NULL_AUTH: 13,
  /** RFC 7427 §3 */
  DIGITAL_SIGNATURE: 14,
} as const;
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

/** Notify message types (RFC 7296 §3.10.1); below 16384 errors, from 16384 status */
export const NotifyType = {
  /** RFC 7296 §3.10.1 (data: the one-octet payload type) */
  UNSUPPORTED_CRITICAL_PAYLOAD: 1,
  /** RFC 7296 §3.10.1 */
  INVALID_IKE_SPI: 4,
  /** RFC 7296 §3.10.1 */
  INVALID_MAJOR_VERSION: 5,
  /** RFC 7296 §3.10.1 */
  INVALID_SYNTAX: 7,
  /** RFC 7296 §3.10.1 */
  INVALID_MESSAGE_ID: 9,
  /** RFC 7296 §3.10.1 */
  INVALID_SPI: 11,
  /** RFC 7296 §3.10.1 */
  NO_PROPOSAL_CHOSEN: 14,
  /** RFC 7296 §3.10.1 (data: the 2-octet accepted group) */
  INVALID_KE_PAYLOAD: 17,
  /** RFC 7296 §3.10.1 */
  AUTHENTICATION_FAILED: 24,
  /** RFC 7296 §3.10.1 */
  SINGLE_PAIR_REQUIRED: 34,
  /** RFC 7296 §3.10.1 */
  NO_ADDITIONAL_SAS: 35,
  /** RFC 7296 §3.10.1 */
  INTERNAL_ADDRESS_FAILURE: 36,
  /** RFC 7296 §3.10.1 */
  FAILED_CP_REQUIRED: 37,
  /** RFC 7296 §3.10.1 */
  TS_UNACCEPTABLE: 38,
  /** RFC 7296 §3.10.1 */
  INVALID_SELECTORS: 39,
  /** RFC 4555 §6.6 */
  UNACCEPTABLE_ADDRESSES: 40,
  /** RFC 4555 §6.6 */
  UNEXPECTED_NAT_DETECTED: 41,
  /** RFC 5026 §10 */
  USE_ASSIGNED_HoA: 42,
  /** RFC 7296 §3.10.1 */
  TEMPORARY_FAILURE: 43,
  /** RFC 7296 §3.10.1 */
  CHILD_SA_NOT_FOUND: 44,
  /** G-IKEv2 (IANA) */
  INVALID_GROUP_ID: 45,
  /** G-IKEv2 (IANA) */
  AUTHORIZATION_FAILED: 46,
  /** RFC 9370 §2.2.4 */
  STATE_NOT_FOUND: 47,
  /** RFC 7296 §3.10.1 */
  INITIAL_CONTACT: 16384,
  /** RFC 7296 §3.10.1 (data: 4-octet window size) */
  SET_WINDOW_SIZE: 16385,
  /** RFC 7296 §3.10.1 */
  ADDITIONAL_TS_POSSIBLE: 16386,
  /** RFC 7296 §3.10.1 (data: 2-octet CPI + 1-octet transform) */
  IPCOMP_SUPPORTED: 16387,
  /** RFC 7296 §2.23 (data: SHA-1 digest) */
  NAT_DETECTION_SOURCE_IP: 16388,
  /** RFC 7296 §2.23 (data: SHA-1 digest) */
  NAT_DETECTION_DESTINATION_IP: 16389,
  /** RFC 7296 §2.6, §3.10.1 (data: 1-64 octets) */
  COOKIE: 16390,
  /** RFC 7296 §3.10.1 */
  USE_TRANSPORT_MODE: 16391,
  /** RFC 7296 §3.10.1 */
  HTTP_CERT_LOOKUP_SUPPORTED: 16392,
  /** RFC 7296 §3.10.1 */
  REKEY_SA: 16393,
  /** RFC 7296 §3.10.1 */
  ESP_TFC_PADDING_NOT_SUPPORTED: 16394,
  /** RFC 7296 §3.10.1 */
  NON_FIRST_FRAGMENTS_ALSO: 16395,
  /** RFC 4555 §6.6 */
  MOBIKE_SUPPORTED: 16396,
  /** RFC 4555 §6.6 */
  ADDITIONAL_IP4_ADDRESS: 16397,
  /** RFC 4555 §6.6 */
  ADDITIONAL_IP6_ADDRESS: 16398,
  /** RFC 4555 §6.6 */
  NO_ADDITIONAL_ADDRESSES: 16399,
  /** RFC 4555 §6.6 */
  UPDATE_SA_ADDRESSES: 16400,
  /** RFC 4555 §6.6 */
  COOKIE2: 16401,
  /** RFC 4555 §6.6 */
  NO_NATS_ALLOWED: 16402,
  /** RFC 4478 §3 (data: 4-octet seconds) */
  AUTH_LIFETIME: 16403,
  /** RFC 4739 §3.1 */
  MULTIPLE_AUTH_SUPPORTED: 16404,
  /** RFC 4739 §3.2 */
  ANOTHER_AUTH_FOLLOWS: 16405,
  /** RFC 5685 §8.1 */
  REDIRECT_SUPPORTED: 16406,
  /** RFC 5685 §8.2 */
  REDIRECT: 16407,
  /** RFC 5685 §8.3 */
  REDIRECTED_FROM: 16408,
  /** RFC 5723 §4 */
  TICKET_LT_OPAQUE: 16409,
  /** RFC 5723 §4 */
  TICKET_REQUEST: 16410,
  /** RFC 5723 §4 */
  TICKET_ACK: 16411,
  /** RFC 5723 §4 */
  TICKET_NACK: 16412,
  /** RFC 5723 §4 */
  TICKET_OPAQUE: 16413,
  /** RFC 5739 §4 */
  LINK_ID: 16414,
  /** RFC 5840 §4 */
  USE_WESP_MODE: 16415,
  /** RFC 5857 §3.1 */
  ROHC_SUPPORTED: 16416,
  /** RFC 5998 §3 */
  EAP_ONLY_AUTHENTICATION: 16417,
  /** RFC 6023 §3 */
  CHILDLESS_IKEV2_SUPPORTED: 16418,
  /** RFC 6290 §5 */
  QUICK_CRASH_DETECTION: 16419,
  /** RFC 6311 §5 */
  IKEV2_MESSAGE_ID_SYNC_SUPPORTED: 16420,
  /** RFC 6311 §5 */
  IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED: 16421,
  /** RFC 6311 §5 */
  IKEV2_MESSAGE_ID_SYNC: 16422,
  /** RFC 6311 §5 */
  IPSEC_REPLAY_COUNTER_SYNC: 16423,
  /** RFC 6467 §3 */
  SECURE_PASSWORD_METHODS: 16424,
  /** RFC 6631 §8 */
  PSK_PERSIST: 16425,
  /** RFC 6631 §8 */
  PSK_CONFIRM: 16426,
  /** RFC 6867 §3 */
  ERX_SUPPORTED: 16427,
  /** 3GPP TS 24.303 */
  IFOM_CAPABILITY: 16428,
  /** G-IKEv2 (IANA) */
  SENDER_REQUEST_ID: 16429,
  /** RFC 7383 §2.3 (no data) */
  IKEV2_FRAGMENTATION_SUPPORTED: 16430,
  /** RFC 7427 §4 (data: list of 2-octet hash IDs) */
  SIGNATURE_HASH_ALGORITHMS: 16431,
  /** RFC 7791 §3 */
  CLONE_IKE_SA_SUPPORTED: 16432,
  /** RFC 7791 §3 */
  CLONE_IKE_SA: 16433,
  /** RFC 8019 §8.1.1 */
  PUZZLE: 16434,
  /** RFC 8784 §3 */
  USE_PPK: 16435,
  /** RFC 8784 §3 */
  PPK_IDENTITY: 16436,
  /** RFC 8784 §3 */
  NO_PPK_AUTH: 16437,
  /** RFC 9242 §3 */
  INTERMEDIATE_EXCHANGE_SUPPORTED: 16438,
  /** RFC 8983 §3 */
  IP4_ALLOWED: 16439,
  /** RFC 8983 §3 */
  IP6_ALLOWED: 16440,
  /** RFC 9370 §2.2.3 */
  ADDITIONAL_KEY_EXCHANGE: 16441,
  /** RFC 9347 §5 */
  USE_AGGFRAG: 16442,
} as const;
export type NotifyType = (typeof NotifyType)[keyof typeof NotifyType];

/** Traffic selector types (RFC 7296 §3.13.1) */
export const TsType = {
  /** RFC 7296 §3.13.1 (selector length 16) */
  TS_IPV4_ADDR_RANGE: 7,
  /** RFC 7296 §3.13.1 (selector length 40) */
  TS_IPV6_ADDR_RANGE: 8,
  /** RFC 4595 §4.1 (not decoded: kept raw) */
  TS_FC_ADDR_RANGE: 9,
} as const;
export type TsType = (typeof TsType)[keyof typeof TsType];

/** CP payload types (RFC 7296 §3.15) */
export const CfgType = {
  /** RFC 7296 §3.15 */
  CFG_REQUEST: 1,
  /** RFC 7296 §3.15 */
  CFG_REPLY: 2,
  /** RFC 7296 §3.15 */
  CFG_SET: 3,
  /** RFC 7296 §3.15 */
  CFG_ACK: 4,
} as const;
export type CfgType = (typeof CfgType)[keyof typeof CfgType];

/** Configuration attribute types (RFC 7296 §3.15.1); the reserved top bit is not part of the type */
export const CfgAttribute = {
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_ADDRESS: 1,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_NETMASK: 2,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_DNS: 3,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_NBNS: 4,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_DHCP: 6,
  /** RFC 7296 §3.15.1 */
  APPLICATION_VERSION: 7,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP6_ADDRESS: 8,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP6_DNS: 10,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP6_DHCP: 12,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP4_SUBNET: 13,
  /** RFC 7296 §3.15.1 */
  SUPPORTED_ATTRIBUTES: 14,
  /** RFC 7296 §3.15.1 */
  INTERNAL_IP6_SUBNET: 15,
  /** RFC 5026 §4.2.1 */
  MIP6_HOME_PREFIX: 16,
  /** RFC 5739 §4 */
  INTERNAL_IP6_LINK: 17,
  /** RFC 5739 §4 */
  INTERNAL_IP6_PREFIX: 18,
  /** RFC 5739 §4 (3GPP) */
  HOME_AGENT_ADDRESS: 19,
  /** RFC 7651 §5 */
  P_CSCF_IP4_ADDRESS: 20,
  /** RFC 7651 §5 */
  P_CSCF_IP6_ADDRESS: 21,
  /** 3GPP TS 24.302 */
  FTT_KAT: 22,
  /** 3GPP TS 24.502 */
  EXTERNAL_SOURCE_IP4_NAT_INFO: 23,
  /** 3GPP TS 24.302 */
  TIMEOUT_PERIOD_FOR_LIVENESS_CHECK: 24,
  /** RFC 8598 §4 */
  INTERNAL_DNS_DOMAIN: 25,
  /** RFC 8598 §4 */
  INTERNAL_DNSSEC_TA: 26,
} as const;
export type CfgAttribute = (typeof CfgAttribute)[keyof typeof CfgAttribute];

/** EAP codes carried in the EAP payload (RFC 3748 §4; RFC 7296 §3.16) */
export const EapCode = {
  /** RFC 3748 §4.1 */
  REQUEST: 1,
  /** RFC 3748 §4.1 */
  RESPONSE: 2,
  /** RFC 3748 §4.2 */
  SUCCESS: 3,
  /** RFC 3748 §4.2 */
  FAILURE: 4,
} as const;
export type EapCode = (typeof EapCode)[keyof typeof EapCode];

/** GW Ident Type of REDIRECT / REDIRECTED_FROM data (RFC 5685 §8.2, §11) */
export const GatewayIdentityType = {
  /** RFC 5685 §8.2 (4 octets) */
  IPV4: 1,
  /** RFC 5685 §8.2 (16 octets) */
  IPV6: 2,
  /** RFC 5685 §8.2 (1-255 octets) */
  FQDN: 3,
} as const;
export type GatewayIdentityType = (typeof GatewayIdentityType)[keyof typeof GatewayIdentityType];

/** Hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4; IANA) */
export const HashAlgorithm = {
  /** RFC 7427 §4 */
  SHA1: 1,
  /** RFC 7427 §4 */
  SHA2_256: 2,
  /** RFC 7427 §4 */
  SHA2_384: 3,
  /** RFC 7427 §4 */
  SHA2_512: 4,
  /** RFC 8420 §2 */
  IDENTITY: 5,
  /** RFC 9385 */
  STREEBOG_256: 6,
  /** RFC 9385 */
  STREEBOG_512: 7,
} as const;
export type HashAlgorithm = (typeof HashAlgorithm)[keyof typeof HashAlgorithm];

/** Fixed key exchange data length in octets per DH group (RFC 7296 §3.4); groups not listed have none. */
export const KeDataLength: ReadonlyMap<number, number> = new Map<number, number>([
  [DhGroup.MODP_768, 96], // RFC 7296 §3.4
  [DhGroup.MODP_1024, 128], // RFC 7296 §3.4
  [DhGroup.MODP_1536, 192], // RFC 7296 §3.4
  [DhGroup.MODP_2048, 256], // RFC 7296 §3.4
  [DhGroup.MODP_3072, 384], // RFC 7296 §3.4
  [DhGroup.MODP_4096, 512], // RFC 7296 §3.4
  [DhGroup.MODP_6144, 768], // RFC 7296 §3.4
  [DhGroup.MODP_8192, 1024], // RFC 7296 §3.4
  [DhGroup.ECP_256, 64], // RFC 5903 §7
  [DhGroup.ECP_384, 96], // RFC 5903 §7
  [DhGroup.ECP_521, 132], // RFC 5903 §7
  [DhGroup.MODP_1024_160, 128], // RFC 5114 §4
  [DhGroup.MODP_2048_224, 256], // RFC 5114 §4
  [DhGroup.MODP_2048_256, 256], // RFC 5114 §4
  [DhGroup.ECP_192, 48], // RFC 5114 §4.3
  [DhGroup.ECP_224, 56], // RFC 5114 §4.3
  [DhGroup.BRAINPOOL_P224R1, 56], // RFC 6954 §4
  [DhGroup.BRAINPOOL_P256R1, 64], // RFC 6954 §4
  [DhGroup.BRAINPOOL_P384R1, 96], // RFC 6954 §4
  [DhGroup.BRAINPOOL_P512R1, 128], // RFC 6954 §4
  [DhGroup.CURVE25519, 32], // RFC 8031 §3.1
  [DhGroup.CURVE448, 56], // RFC 8031 §3.1
]);

/** Notification data length bounds in octets per notify type, where an RFC fixes them. */
export const NotifyDataLength: ReadonlyMap<number, { readonly min: number; readonly max: number }> = new Map([
  [NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, { min: 1, max: 1 }], // RFC 7296 §3.10.1
  [NotifyType.INVALID_KE_PAYLOAD, { min: 2, max: 2 }], // RFC 7296 §1.2, §3.10.1
  [NotifyType.SET_WINDOW_SIZE, { min: 4, max: 4 }], // RFC 7296 §3.10.1
  [NotifyType.IPCOMP_SUPPORTED, { min: 3, max: 3 }], // RFC 7296 §3.10.1
  [NotifyType.NAT_DETECTION_SOURCE_IP, { min: 20, max: 20 }], // RFC 7296 §2.23
  [NotifyType.NAT_DETECTION_DESTINATION_IP, { min: 20, max: 20 }], // RFC 7296 §2.23
  [NotifyType.COOKIE, { min: 1, max: 64 }], // RFC 7296 §2.6
  [NotifyType.ADDITIONAL_IP4_ADDRESS, { min: 4, max: 4 }], // RFC 4555 §6.6
  [NotifyType.ADDITIONAL_IP6_ADDRESS, { min: 16, max: 16 }], // RFC 4555 §6.6
  [NotifyType.AUTH_LIFETIME, { min: 4, max: 4 }], // RFC 4478 §3
  [NotifyType.REDIRECT_SUPPORTED, { min: 0, max: 0 }], // RFC 5685 §8.1
  [NotifyType.REDIRECT, { min: 3, max: 513 }], // RFC 5685 §8.2 (type, length, 1-255 octets of identity, optional 16-256 octets of nonce)
  [NotifyType.REDIRECTED_FROM, { min: 3, max: 257 }], // RFC 5685 §8.3 (type, length, 1-255 octets of identity)
  [NotifyType.TICKET_LT_OPAQUE, { min: 5, max: 65535 }], // RFC 5723 §4 (4-octet lifetime, then the ticket)
  [NotifyType.TICKET_REQUEST, { min: 0, max: 0 }], // RFC 5723 §4
  [NotifyType.TICKET_ACK, { min: 0, max: 0 }], // RFC 5723 §4
  [NotifyType.TICKET_NACK, { min: 0, max: 0 }], // RFC 5723 §4
  [NotifyType.TICKET_OPAQUE, { min: 1, max: 65535 }], // RFC 5723 §4
  [NotifyType.IKEV2_FRAGMENTATION_SUPPORTED, { min: 0, max: 0 }], // RFC 7383 §2.3
  [NotifyType.SIGNATURE_HASH_ALGORITHMS, { min: 2, max: 65535 }], // RFC 7427 §4
]);

/** Every decode error code, the notify a responder answers it with, and its detail template. */
export const DecodeErrors = {
  TRUNCATED_HEADER: { notify: NotifyType.INVALID_SYNTAX, detail: 'the datagram has {value} octets, fewer than the {min}-octet IKE header' },
  UNSUPPORTED_MAJOR_VERSION: { notify: NotifyType.INVALID_MAJOR_VERSION, detail: 'major version {value} is not IKEv2 (major version {min})' },
  HEADER_LENGTH_TOO_SMALL: { notify: NotifyType.INVALID_SYNTAX, detail: 'the header\'s length {value} is below the {min}-octet IKE header' },
  LENGTH_EXCEEDS_DATAGRAM: { notify: NotifyType.INVALID_SYNTAX, detail: 'the header\'s length {value} exceeds the datagram\'s {max} octets' },
  TRAILING_BYTES: { notify: NotifyType.INVALID_SYNTAX, detail: 'the datagram has {value} octets after the {max} octets its header\'s length covers' },
  PAYLOAD_HEADER_TRUNCATED: { notify: NotifyType.INVALID_SYNTAX, detail: 'a payload starts with {value} octets left, fewer than its {min}-octet generic header' },
  PAYLOAD_LENGTH_TOO_SMALL: { notify: NotifyType.INVALID_SYNTAX, detail: 'payload length {value} is below the {min}-octet generic payload header' },
  PAYLOAD_LENGTH_OVERRUN: { notify: NotifyType.INVALID_SYNTAX, detail: 'payload length {value} runs past the end of the message ({max} octets left)' },
  DATA_AFTER_LAST_PAYLOAD: { notify: NotifyType.INVALID_SYNTAX, detail: '{value} octets follow the last payload (Next Payload 0)' },
  UNSUPPORTED_CRITICAL_PAYLOAD: { notify: NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD, detail: 'payload type {value} is not supported and is marked critical' },
  TOO_MANY_PAYLOADS: { notify: NotifyType.INVALID_SYNTAX, detail: 'payload number {value} is more than the {max} payloads one message may carry' },
  SK_NOT_LAST: { notify: NotifyType.INVALID_SYNTAX, detail: '{value} octets follow the SK/SKF payload, which must be the last payload' },
  NESTED_SK: { notify: NotifyType.INVALID_SYNTAX, detail: 'payload type {value} (SK/SKF) appears inside encrypted payloads' },
  PAYLOAD_TOO_SHORT: { notify: NotifyType.INVALID_SYNTAX, detail: 'payload body of {value} octets is shorter than its {min} fixed octets' },
  NONCE_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'nonce of {value} octets is outside {min}..{max}' },
  KE_DATA_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'key exchange data of {value} octets, the group requires exactly {min}' },
  KE_DATA_SIZE: { notify: NotifyType.INVALID_SYNTAX, detail: 'key exchange data of {value} octets is outside {min}..{max} for a group without a fixed length' },
  SA_NO_PROPOSALS: { notify: NotifyType.INVALID_SYNTAX, detail: 'the SA payload carries no proposal' },
  PROPOSAL_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'proposal length {value} is below {min} or runs past the SA payload ({max} octets left)' },
  PROPOSAL_CHAIN: { notify: NotifyType.INVALID_SYNTAX, detail: 'Last Substruc {value} does not match the {max} octets that follow in the SA payload' },
  PROPOSAL_SPI_SIZE: { notify: NotifyType.INVALID_SYNTAX, detail: 'SPI size {value} is not valid for the proposal\'s protocol or does not fit its length' },
  TRANSFORM_COUNT: { notify: NotifyType.INVALID_SYNTAX, detail: 'the proposal announces {value} transforms but carries {min}' },
  TRANSFORM_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'transform length {value} is below {min} or runs past the proposal ({max} octets left)' },
  TRANSFORM_CHAIN: { notify: NotifyType.INVALID_SYNTAX, detail: 'Last Substruc {value} does not match the {max} octets that follow in the proposal' },
  ATTRIBUTE_OVERRUN: { notify: NotifyType.INVALID_SYNTAX, detail: 'an attribute needs {value} octets, only {max} are left in its container' },
  ID_DATA_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'identification data of {value} octets, the ID type requires {min}' },
  FQDN_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'FQDN of {value} octets is outside {min}..{max}' },
  NOTIFY_SPI_SIZE: { notify: NotifyType.INVALID_SYNTAX, detail: 'SPI size {value} does not fit the notify payload or its type' },
  NOTIFY_DATA_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'notification data of {value} octets is outside {min}..{max} for this notify type' },
  REDIRECT_IDENTITY: { notify: NotifyType.INVALID_SYNTAX, detail: 'gateway identity length {value} is not valid for its type or runs past the data ({max} octets left)' },
  REDIRECT_NONCE_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'nonce of {value} octets after the gateway identity is outside {min}..{max}' },
  REDIRECTED_FROM_TRAILING: { notify: NotifyType.INVALID_SYNTAX, detail: '{value} octets follow the gateway identity of REDIRECTED_FROM' },
  HASH_ALGORITHMS_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: '{value} octets are not a whole number of 2-octet hash algorithm IDs' },
  DELETE_SPIS: { notify: NotifyType.INVALID_SYNTAX, detail: '{value} SPIs of {min} octets do not fill the {max} octets left' },
  DELETE_SPI_SIZE: { notify: NotifyType.INVALID_SYNTAX, detail: 'SPI size {value} does not match the protocol (IKE 0, AH and ESP 4)' },
  TS_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'selector length {value} is wrong for its type ({min}) or runs past the payload ({max} octets left)' },
  TS_COUNT: { notify: NotifyType.INVALID_SYNTAX, detail: 'the payload announces {value} traffic selectors but carries {min}' },
  EAP_LENGTH: { notify: NotifyType.INVALID_SYNTAX, detail: 'EAP length {value} does not match the {max} octets of the payload body, or is below the {min} its code needs' },
  FRAGMENT_NUMBER: { notify: NotifyType.INVALID_SYNTAX, detail: 'fragment {value} of {max}: fragment numbers start at 1 and never exceed the total' },
} as const;
export type DecodeErrorCode = keyof typeof DecodeErrors;

/** Every table above by name, for name lookups (lib/ike/names.ts). */
export const ConstantTables = {
  ExchangeType,
  HeaderFlag,
  IkeVersion,
  WireSize,
  Limit,
  PayloadType,
  PayloadFlag,
  ProtocolId,
  Substructure,
  TransformType,
  EncrId,
  PrfId,
  IntegId,
  DhGroup,
  EsnId,
  TransformAttribute,
  AttributeFormat,
  IdType,
  CertEncoding,
  AuthMethod,
  NotifyType,
  TsType,
  CfgType,
  CfgAttribute,
  EapCode,
  GatewayIdentityType,
  HashAlgorithm,
} as const;
export type ConstantTableName = keyof typeof ConstantTables;
