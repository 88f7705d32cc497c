// lib/crypto: IKEv2 cryptography over the native core (OpenSSL through Node's
// own build). See ARCHITECTURE.md "lib/crypto" for the map.
export * from './aead';
export * from './auth';
export * from './certs';
export * from './dh';
export * from './keys';
export * from './pool';
export * from './prf';
export * from './random';
export * from './sk';
