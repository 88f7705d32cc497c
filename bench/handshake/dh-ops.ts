// X25519 operations per second on the current CPU (run it pinned), through
// the same native crypto the gateway uses: key generation alone, and the
// responder's whole per-handshake DH work (validate the peer's value, make a
// key pair, derive g^ir: crypto's respondSync). Prints one JSON object.
import { generateKeyPairSync, respondSync } from '../../lib/crypto';

function rate(fn: () => void, ms: number): number {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

const ms = Number(process.argv[2] ?? 1500);
const peer = generateKeyPairSync(31).publicValue;
const keygen = rate(() => generateKeyPairSync(31), ms);
const respond = rate(() => respondSync(31, peer), ms);
process.stdout.write(`${JSON.stringify({ keygenPerS: keygen, respondPerS: respond })}\n`);
