// A configured secret (pre-shared key, HSRP key-string, reconnect key, CLB
// secret). The value lives in a private field: JSON.stringify, util.inspect,
// template strings, pino and Object.keys all see only the mask, so a config
// object can be logged or printed without leaking. Code that needs the value
// calls reveal(), which is easy to grep for.
import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';

/** What every masked secret prints as. Matches the redaction text of lib/log.ts. */
export const SECRET_MASK = '[redacted]';

/** How the secret was written in the config. */
export type SecretEncoding = 'clear' | 'type7';

export class Secret {
  readonly #value: string;
  /** `clear` (type 0 or no type) or `type7` (Cisco's reversible type-7 encoding, decoded at parse time). */
  readonly encoding: SecretEncoding;

  constructor(value: string, encoding: SecretEncoding = 'clear') {
    this.#value = value;
    this.encoding = encoding;
    Object.freeze(this);
  }

  /** The secret itself. Never log or print what this returns. */
  reveal(): string {
    return this.#value;
  }

  /** The secret as UTF-8 octets (a fresh copy each call), e.g. for an HMAC key. */
  bytes(): Buffer {
    return Buffer.from(this.#value, 'utf8');
  }

  /** Length in UTF-8 octets; safe to show. */
  get length(): number {
    return Buffer.byteLength(this.#value, 'utf8');
  }

  /** Constant-time comparison (for equal lengths; the length itself is not secret here). */
  equals(other: Secret): boolean {
    const a = this.bytes();
    const b = other.bytes();
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toJSON(): string {
    return SECRET_MASK;
  }

  toString(): string {
    return SECRET_MASK;
  }

  [inspect.custom](): string {
    return `Secret(${SECRET_MASK})`;
  }
}
