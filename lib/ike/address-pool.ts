// An `ip local pool`: IPv4 addresses handed to clients in CP replies
// (INTERNAL_IP4_ADDRESS, RFC 7296 §3.15.1) and given back when their IKE SA
// is deleted. One bit per address, a next-fit cursor: O(1) amortised per
// lease, 125 KiB for a million addresses. A client that asks for the address
// it had (a CP request carrying it, RFC 7296 §3.15.1) gets it back when free.

export interface PoolRange {
  readonly start: string;
  readonly end: string;
}

function ipv4Value(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return (((parts[0] as number) << 24) | ((parts[1] as number) << 16) | ((parts[2] as number) << 8) | (parts[3] as number)) >>> 0;
}

function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export class AddressPool {
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  private readonly used: Uint8Array;
  private readonly total: number;
  private cursor = 0;
  private leased = 0;

  constructor(
    readonly name: string,
    ranges: readonly PoolRange[],
  ) {
    let total = 0;
    for (const range of ranges) {
      const start = ipv4Value(range.start);
      const end = ipv4Value(range.end);
      if (end < start) throw new Error(`pool ${name}: range ${range.start}-${range.end} ends before it starts`);
      this.starts.push(start);
      this.sizes.push(end - start + 1);
      total += end - start + 1;
    }
    this.total = total;
    this.used = new Uint8Array(Math.ceil(total / 8));
  }

  get size(): number {
    return this.total;
  }

  get inUse(): number {
    return this.leased;
  }

  /** Leases an address (the preferred one when it is free and in the pool); undefined when the pool is exhausted. */
  allocate(preferred?: string): string | undefined {
    if (preferred !== undefined) {
      const index = this.indexOf(preferred);
      if (index !== undefined && !this.isUsed(index)) return this.take(index);
    }
    if (this.leased >= this.total) return undefined;
    for (let n = 0; n < this.total; n++) {
      const index = this.cursor;
      this.cursor = this.cursor + 1 === this.total ? 0 : this.cursor + 1;
      if (!this.isUsed(index)) return this.take(index);
    }
    return undefined;
  }

  /** Gives an address back; unknown or free addresses are ignored (idempotent). */
  release(address: string): void {
    const index = this.indexOf(address);
    if (index === undefined || !this.isUsed(index)) return;
    this.used[index >> 3] = (this.used[index >> 3] as number) & ~(1 << (index & 7));
    this.leased--;
  }

  contains(address: string): boolean {
    return this.indexOf(address) !== undefined;
  }

  private take(index: number): string {
    this.used[index >> 3] = (this.used[index >> 3] as number) | (1 << (index & 7));
    this.leased++;
    return this.addressAt(index);
  }

  private isUsed(index: number): boolean {
    return ((this.used[index >> 3] as number) & (1 << (index & 7))) !== 0;
  }

  private indexOf(address: string): number | undefined {
    let value: number;
    try {
      value = ipv4Value(address);
    } catch {
      return undefined;
    }
    let base = 0;
    for (let r = 0; r < this.starts.length; r++) {
      const start = this.starts[r] as number;
      const size = this.sizes[r] as number;
      if (value >= start && value < start + size) return base + (value - start);
      base += size;
    }
    return undefined;
  }

  private addressAt(index: number): string {
    let rest = index;
    for (let r = 0; r < this.starts.length; r++) {
      const size = this.sizes[r] as number;
      if (rest < size) return ipv4Text((this.starts[r] as number) + rest);
      rest -= size;
    }
    throw new Error('pool index out of range');
  }
}
