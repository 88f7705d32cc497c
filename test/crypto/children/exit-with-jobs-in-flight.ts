// Child of pool.test.ts: floods the pool, then exits while jobs are running and queued.
import { defaultPool, DhGroup, dhLengths, generateKeyPairSync } from '../../../lib/crypto';

const mode = process.argv[2] ?? 'exit';
const pool = defaultPool();
const peer = generateKeyPairSync(DhGroup.MODP_2048).publicValue;
const l = dhLengths(DhGroup.MODP_2048);
let done = 0;
for (let i = 0; i < 300; i++) {
  pool.submitDhRespond(DhGroup.MODP_2048, peer, Buffer.alloc(l.publicLength), Buffer.alloc(l.sharedLength), () => done++);
}
if (mode === 'exit') {
  setTimeout(() => {
    process.stdout.write(`exiting with ${pool.pending} jobs pending\n`);
    process.exit(0);
  }, 20);
} else if (mode === 'throw') {
  setTimeout(() => {
    throw new Error('uncaught with jobs in flight');
  }, 20);
} else {
  // 'natural': nothing keeps the loop alive but the jobs; the process ends when they are done.
  process.on('exit', () => process.stdout.write(`completed ${done}\n`));
}
