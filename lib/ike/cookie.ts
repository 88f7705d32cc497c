// Stateless cookies (RFC 7296 §2.6), the TypeScript fallback of the UDP
// engine's native cookie jar:
//     Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
// with a 4-octet secret version and HMAC-SHA-256 keyed with the secret (36
// octets in all, within the 1..64 the RFC allows). The secret rotates; a
// cookie made with the previous secret still verifies. Comparison is
// constant-time. No state is kept per client.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { addressToBytes } from '../ip-address';

export const cookieLength = 36;

export class CookieJar {
  private version = 1;
  private current: Buffer;
  private previous: Buffer;

  constructor(random: (n: number) => Buffer = randomBytes) {
    this.current = random(32);
    this.previous = random(32);
    this.random = random;
  }

  private readonly random: (n: number) => Buffer;

  make(ni: Buffer, address: string, spiI: Buffer): Buffer {
    return this.compute(this.version, this.current, ni, address, spiI);
  }

  verify(cookie: Buffer, ni: Buffer, address: string, spiI: Buffer): boolean {
    if (cookie.length !== cookieLength) return false;
    const version = cookie.readUInt32BE(0);
    let secret: Buffer;
    if (version === this.version) secret = this.current;
    else if (version === ((this.version - 1) >>> 0)) secret = this.previous;
    else return false;
    return timingSafeEqual(cookie, this.compute(version, secret, ni, address, spiI));
  }

  /** New secret; the old one stays valid for one more period. */
  rotate(): void {
    this.previous.fill(0);
    this.previous = this.current;
    this.current = this.random(32);
    this.version = (this.version + 1) >>> 0;
  }

  private compute(version: number, secret: Buffer, ni: Buffer, address: string, spiI: Buffer): Buffer {
    const out = Buffer.alloc(cookieLength);
    out.writeUInt32BE(version, 0);
    createHmac('sha256', secret).update(ni).update(addressToBytes(address)).update(spiI).digest().copy(out, 4);
    return out;
  }
}
