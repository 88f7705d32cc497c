// X25519 cost on the current CPU (run it pinned), in CPU time, through the
// same native DH code the gateway runs (crypto's dhCost: key generation and
// derivation timed in C++ with CLOCK_THREAD_CPUTIME_ID, no JavaScript in the
// loop). CPU time, not wall time, so another process sharing the core does
// not inflate it (openssl speed also reports CPU time). Median of 5 runs.
// Prints one JSON object: ns per key generation and per derivation, and which
// X25519 implementation ran.
import { cryptoNative } from '../../lib/crypto/native';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const iterations = Number(process.argv[2] ?? 300);
const native = cryptoNative();
native.dhCost(31, 50); // warm up: caches, the run-time lookup of OpenSSL's X25519
const keygen: number[] = [];
const derive: number[] = [];
for (let run = 0; run < 5; run++) {
  const [k, d] = native.dhCost(31, iterations) as [number, number];
  keygen.push(k);
  derive.push(d);
}
process.stdout.write(`${JSON.stringify({ keygenNs: median(keygen), deriveNs: median(derive), backend: native.constants.x25519Backend })}\n`);
