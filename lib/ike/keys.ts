// Key installation for IKE SAs (RFC 7296 §2.14, §2.18) and CHILD SAs
// (§2.17), over the crypto port. SKEYSEED never reaches JavaScript; the SA
// keeps one compact key object and wipes SK_p once both AUTHs are done.
import type { IkeCore } from './core';
import type { IkeSaKeyMaterial } from './crypto-port';
import type { ChildAlgorithms, IkeSa } from './ike-sa';
import { internIke } from './proposals';

export function installIkeKeys(core: IkeCore, sa: IkeSa, ni: Buffer, nr: Buffer, shared: Buffer, oldSkD: Buffer | undefined): void {
  const algorithms = sa.algorithms;
  if (algorithms === undefined) throw new Error('IKE SA has no algorithms');
  sa.algorithms = internIke(algorithms);
  sa.keys?.wipe();
  sa.keys = core.crypto.deriveIkeSaKeys(algorithms, ni, nr, shared, sa.spiI, sa.spiR, oldSkD);
}

/** Installs keys derived elsewhere (the responder's DH job derives them on the pool). */
export function adoptIkeKeys(sa: IkeSa, keys: IkeSaKeyMaterial): void {
  const algorithms = sa.algorithms;
  if (algorithms === undefined) throw new Error('IKE SA has no algorithms');
  sa.algorithms = internIke(algorithms);
  sa.keys?.wipe();
  sa.keys = keys;
}

/**
 * KEYMAT for a CHILD SA: initiator-to-responder encryption and integrity
 * keys first, then the other direction (§2.17). `ni`/`nr` are the nonces of
 * the exchange that created it (IKE_SA_INIT's for the first CHILD SA).
 */
export function childKeymat(core: IkeCore, sa: IkeSa, algorithms: ChildAlgorithms, shared: Buffer | undefined, ni: Buffer, nr: Buffer): Buffer {
  const ike = sa.algorithms;
  const keys = sa.keys;
  if (ike === undefined || keys === undefined) throw new Error('IKE SA has no keys');
  const lengths = core.crypto.keyLengths(algorithms.encr, algorithms.keyLength, algorithms.integ);
  return core.crypto.deriveChildKeymat(ike.prf, keys.skD, shared, ni, nr, lengths.encr, lengths.integ);
}
