// The shape of exports.codec (native/napi/codec.cc). The only file that asks
// lib/native.ts for it; lib/ike/codec.ts and lib/ike/notify-data.ts wrap it.
import { nativeModule } from '../native';

/** A decode error as native code reports it (codec.ts adds notifyData). */
export interface NativeDecodeError {
  readonly code: string;
  readonly field: string;
  readonly offset: number;
  readonly detail: string;
  readonly notifyType: number;
  readonly value: number;
  readonly min: number;
  readonly max: number;
}

export type NativeDecodeResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: NativeDecodeError };

/** Encoders return this instead of a Buffer when they refuse. */
export interface NativeEncodeFailure {
  /** FIELD_OVERFLOW, BUFFER_TOO_SMALL, TYPE_MISMATCH, INVALID (decodeError says why) or INPUT. */
  readonly encodeError: string;
  readonly field?: string;
  readonly value?: number;
  readonly max?: number;
  readonly detail?: string;
  readonly decodeError?: NativeDecodeError;
}

/** REDIRECT / REDIRECTED_FROM data to encode: the identity as text (IPv4, IPv6, FQDN) or raw octets. */
export type NativeRedirectData =
  | { readonly gwIdentType: number; readonly gateway: string; readonly nonce?: Uint8Array }
  | { readonly gwIdentType: number; readonly gwIdent: Uint8Array; readonly nonce?: Uint8Array };

export interface CodecNative {
  /** Decodes into `tape` (native/ike/tape.h): the word count, minus the count needed if the tape was short, or the error. */
  decodeMessage(datagram: Uint8Array, tape: Uint32Array): number | NativeDecodeError;
  decodePayloads(chain: Uint8Array, firstPayloadType: number, baseOffset: number, tape: Uint32Array): number | NativeDecodeError;
  validateMessage(datagram: Uint8Array): NativeDecodeError | null;
  /** Encodes a message tape (lib/ike/tape.ts) whose byte strings are in `blob`. */
  encodeMessage(tape: Uint32Array, blob: Uint8Array): Buffer | NativeEncodeFailure;
  encodePayloads(tape: Uint32Array, blob: Uint8Array): { readonly firstPayloadType: number; readonly buffer: Buffer } | NativeEncodeFailure;
  /**
   * Encodes the first `words` of a tape (whose byte strings are in the first `blobLength` octets
   * of `blob`) straight into `out`: a message with its header, or (withHeader false) a payload
   * chain. Returns the length written, minus the length needed when `out` is too short, or the
   * failure. Allocates nothing: tape, blob and out are the caller's reusable scratch.
   */
  encodeInto(tape: Uint32Array, words: number, blob: Uint8Array, blobLength: number, withHeader: boolean, out: Uint8Array): number | NativeEncodeFailure;
  parseNotifyData(notifyType: number, data: Uint8Array): NativeDecodeResult<{ readonly value: Record<string, unknown> | null }>;
  encodeRedirectData(data: NativeRedirectData, redirectedFrom: boolean): Buffer | NativeEncodeFailure;
  encodeTicketLtOpaque(lifetime: number, ticket: Uint8Array): Buffer | NativeEncodeFailure;
  /** The stateless IKE_SA_INIT redirect answer (native/ike/redirect.h). */
  redirectResponse(request: Uint8Array, gateway: NativeRedirectData): Buffer | NativeDecodeError | NativeEncodeFailure;
  errorCodes(): string[];
}

let cached: CodecNative | undefined;

export function codecNative(): CodecNative {
  cached ??= nativeModule<CodecNative>('codec');
  return cached;
}
