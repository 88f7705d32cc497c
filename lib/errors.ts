// One registry of ikelb's error codes. Codes are stable: scripts and tests
// match on them, so a code is never renamed or reused. Every code is listed in
// docs/ERRORS.md (test/unit/errors.test.ts checks that).

export const ErrorCodes = {
  IKELB_ERR_USAGE: 'the command line is not valid',
  IKELB_ERR_CONFIG: 'a configuration file has errors',
  IKELB_ERR_DECODE: 'a datagram could not be decoded',
  IKELB_ERR_ENCODE: 'a message could not be encoded',
  IKELB_ERR_NATIVE: 'the native addon reported a failure',
  IKELB_ERR_CONTROL: 'the control socket could not be reached or answered badly',
  IKELB_ERR_UDP_BIND: 'an IKE listen address could not be opened or bound',
  IKELB_ERR_UDP_ARGUMENT: 'the UDP engine was given an invalid address, port, socket or datagram',
  IKELB_ERR_UDP_STATE: 'the UDP engine was used before open() or after close()',
  IKELB_ERR_IKE_SA: 'no IKE SA with that tunnel id (or not in a state that allows the command)',
  IKELB_ERR_CAPTURE: 'a packet capture file could not be read',
  IKELB_ERR_CLB_LISTEN: 'the CLB primary cannot listen on its port',
  IKELB_ERR_CLB_ROLE: 'the CLB cluster and the HSRP group it follows do not match',
  IKELB_ERR_HSRP_CONFIG: 'a standby (HSRP) group is configured in a way that cannot work',
  IKELB_ERR_HSRP_IO: 'an HSRP socket or link watch could not be opened',
  IKELB_ERR_VIP: 'the virtual IP could not be added to or removed from the interface',
  // crypto (native/crypto/status.h names them; lib/crypto/native.ts maps them)
  IKELB_ERR_CRYPTO_ARGUMENT: 'invalid argument to a crypto function',
  IKELB_ERR_DH_PEER_PUBLIC: "the peer's Diffie-Hellman public value is invalid",
  IKELB_ERR_SK_MALFORMED: 'the Encrypted (SK) payload is malformed',
  IKELB_ERR_SK_ICV: 'the Encrypted (SK) payload failed its integrity check',
  IKELB_ERR_SK_IV_EXHAUSTED: "the IKE SA's IV counter is exhausted; rekey the SA",
  IKELB_ERR_AUTH_ALGORITHM: 'unsupported or mismatched signature algorithm',
  IKELB_ERR_AUTH_SIGNATURE: 'the signature does not verify',
  IKELB_ERR_KEY: 'the private key could not be loaded',
  IKELB_ERR_CERT: 'the certificate could not be parsed',
  IKELB_ERR_CERT_CHAIN: 'the certificate chain does not verify',
  IKELB_ERR_POOL_CLOSED: 'the crypto pool was closed',
  IKELB_ERR_CRYPTO: 'an OpenSSL operation failed',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class IkelbError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IkelbError';
    this.code = code;
  }
}
