// Worker-thread side of pool.test.ts: uses the crypto pool of its own environment.
import { parentPort, workerData } from 'node:worker_threads';

import { defaultPool, DhGroup, deriveSharedSecretSync, generateKeyPairSync, respond } from '../../../lib/crypto';

const { jobs, hold } = workerData as { jobs: number; hold: boolean };
const pair = generateKeyPairSync(DhGroup.CURVE25519);
void (async () => {
  if (hold) {
    // Keep the pool busy and tell the parent, which terminates us mid-flight.
    for (let i = 0; i < jobs; i++) void respond(DhGroup.MODP_2048, generateKeyPairSync(DhGroup.MODP_2048).publicValue).catch(() => {});
    parentPort?.postMessage({ busy: defaultPool().pending });
    return;
  }
  const results = await Promise.all(Array.from({ length: jobs }, () => respond(DhGroup.CURVE25519, pair.publicValue)));
  const ok = results.every((r) => deriveSharedSecretSync(pair, r.publicValue).equals(r.sharedSecret));
  parentPort?.postMessage({ ok, count: results.length, threads: defaultPool().threads });
})();
