// The native job pool: DH, signatures and certificate chains run on N worker
// threads (default: one per core) so the JavaScript thread keeps serving
// packets. Two ways in:
//  - submit*(): callback style, results written into buffers the caller
//    provides; no promise and no allocation per job beyond a slot record.
//    This is the hot path for the IKE state machines.
//  - dhRespond()/sign()/...: promise style for convenience.
// Completions come back in batches: one native->JS call delivers every job
// that finished since the previous delivery, written into `completions`
// (4 Int32 per job: slot id, status, length, detail). Submissions are batched
// too: a job is queued without waking a worker, and one setImmediate per
// event-loop turn wakes the workers for everything the turn submitted
// (the native side wakes one early once 8 jobs wait).
import os from 'node:os';

import { IkelbError } from '../errors';
import {
  check,
  cryptoNative,
  JobKind,
  type NativeCertHandle,
  type NativeKeyHandle,
  type NativePoolHandle,
  type NativeStoreHandle,
  type PoolOwner,
  statusError,
} from './native';

export type Done = (error: IkelbError | null) => void;
export type DoneWithLength = (error: IkelbError | null, length: number) => void;

export interface CryptoPoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  readonly threads?: number;
  /** Completions delivered per JS call at most (the completion records' capacity). Default 1024. */
  readonly batchCapacity?: number;
}

interface Slot {
  done: Done | DoneWithLength | null;
  kind: number;
  // Buffers the native side writes into (or reads) until the job completes:
  // holding them here keeps them alive; the pool itself is kept reachable by
  // the native side while any job is in flight.
  keep0: Uint8Array | null;
  keep1: Uint8Array | null;
  what: string;
}

const STATUS_CERT_CHAIN = 10;
const STATUS_POOL_CLOSED = 11;

export class CryptoPool implements PoolOwner {
  readonly threads: number;
  private readonly handle: NativePoolHandle;
  private readonly completions: Int32Array;
  private readonly slots: Slot[] = [];
  private readonly free: number[] = [];
  private inFlight = 0;
  private closed = false;
  private wakeScheduled = false;
  private readonly wakeWorkers = (): void => {
    this.wakeScheduled = false;
    if (!this.closed) cryptoNative().poolWake(this.handle);
  };

  constructor(options: CryptoPoolOptions = {}) {
    const threads = options.threads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', `crypto pool threads must be 1..256, got ${threads}`);
    }
    const capacity = options.batchCapacity ?? 1024;
    this.completions = new Int32Array(capacity * 4);
    this.handle = cryptoNative().createPool(threads, this.completions, this);
    this.threads = cryptoNative().poolThreads(this.handle);
  }

  /** Jobs submitted and not yet completed. */
  get pending(): number {
    return this.inFlight;
  }

  /** Closes the pool: running jobs finish, queued jobs fail with IKELB_ERR_POOL_CLOSED. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    cryptoNative().poolClose(this.handle);
  }

  // ------------------------------------------------------------ callbacks

  /** DH key pair into publicOut / privateOut (lengths from dhLengths()). */
  submitDhGenerate(group: number, publicOut: Uint8Array, privateOut: Uint8Array, done: Done): void {
    const id = this.take(done, JobKind.dhGenerate, publicOut, privateOut, 'DH key generation');
    this.started(id, cryptoNative().poolDh(this.handle, id, JobKind.dhGenerate, group, null, null, publicOut, privateOut));
  }

  /** Shared secret of our private key blob and the peer's public value into sharedOut (validated first). */
  submitDhDerive(group: number, privateKey: Uint8Array, peer: Uint8Array, sharedOut: Uint8Array, done: Done): void {
    const id = this.take(done, JobKind.dhDerive, sharedOut, null, 'DH shared secret');
    this.started(id, cryptoNative().poolDh(this.handle, id, JobKind.dhDerive, group, privateKey, peer, sharedOut, null));
  }

  /** Responder in one job: validate the peer, generate our pair, derive; the private key never leaves native memory. */
  submitDhRespond(group: number, peer: Uint8Array, publicOut: Uint8Array, sharedOut: Uint8Array, done: Done): void {
    const id = this.take(done, JobKind.dhRespond, publicOut, sharedOut, 'DH response');
    this.started(id, cryptoNative().poolDh(this.handle, id, JobKind.dhRespond, group, null, peer, publicOut, sharedOut));
  }

  /**
   * The IKE_SA_INIT responder's key work in one job: validate the peer's KE,
   * make our key pair, derive g^ir and from it the IKE SA's key material
   * (keys.ts IkeSaKeys layout) into materialOut; our KE data into publicOut.
   * g^ir never leaves the worker thread.
   */
  submitDhRespondKeys(
    group: number,
    peer: Uint8Array,
    keys: { readonly prf: number; readonly encr: number; readonly keyBits: number; readonly integ: number; readonly nonceI: Uint8Array; readonly nonceR: Uint8Array; readonly spiI: Uint8Array; readonly spiR: Uint8Array },
    publicOut: Uint8Array,
    materialOut: Uint8Array,
    done: Done,
  ): void {
    const id = this.take(done, JobKind.dhRespondKeys, publicOut, materialOut, 'DH response and IKE SA keys');
    this.started(
      id,
      cryptoNative().poolDhRespondKeys(this.handle, id, group, peer, keys.prf, keys.encr, keys.keyBits, keys.integ, keys.nonceI, keys.nonceR, keys.spiI, keys.spiR, publicOut, materialOut),
    );
  }

  /** AUTH signature into out (capacity: key size + 64 is plenty); done gets the length written. */
  submitSign(
    key: NativeKeyHandle,
    method: number,
    hash: number,
    pss: boolean,
    signedOctets: Uint8Array,
    out: Uint8Array,
    done: DoneWithLength,
  ): void {
    const id = this.take(done, JobKind.sign, out, null, 'AUTH signature');
    this.started(id, cryptoNative().poolSign(this.handle, id, key, method, hash, pss, signedOctets, out));
  }

  /** Verifies AUTH data; done(null) when it verifies, IKELB_ERR_AUTH_SIGNATURE when it does not. */
  submitVerify(key: NativeKeyHandle, method: number, authData: Uint8Array, signedOctets: Uint8Array, done: Done): void {
    const id = this.take(done, JobKind.verify, null, null, 'AUTH verification');
    this.started(id, cryptoNative().poolVerify(this.handle, id, key, method, authData, signedOctets));
  }

  /** Verifies a certificate chain; done(null) when valid, IKELB_ERR_CERT_CHAIN naming the reason otherwise. */
  submitVerifyChain(
    store: NativeStoreHandle,
    leaf: NativeCertHandle,
    intermediates: readonly NativeCertHandle[],
    atTimeSeconds: number,
    done: Done,
  ): void {
    const id = this.take(done, JobKind.verifyChain, null, null, 'certificate chain');
    this.started(id, cryptoNative().poolVerifyChain(this.handle, id, store, leaf, intermediates, atTimeSeconds));
  }

  /** An empty job: what the pool itself costs per job (bench/crypto). */
  submitNoop(done: Done): void {
    const id = this.take(done, JobKind.noop, null, null, 'no-op');
    this.started(id, cryptoNative().poolNoop(this.handle, id));
  }

  // ------------------------------------------------------------- promises

  run(submit: (done: Done) => void): Promise<void> {
    return new Promise((resolve, reject) => submit((err) => (err === null ? resolve() : reject(err))));
  }

  runWithLength(submit: (done: DoneWithLength) => void): Promise<number> {
    return new Promise((resolve, reject) => submit((err, n) => (err === null ? resolve(n) : reject(err))));
  }

  // ------------------------------------------------------------- internals

  private take(
    done: Done | DoneWithLength,
    kind: number,
    keep0: Uint8Array | null,
    keep1: Uint8Array | null,
    what: string,
  ): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.slots.length;
      this.slots.push({ done: null, kind: 0, keep0: null, keep1: null, what: '' });
    }
    const slot = this.slots[id] as Slot;
    slot.done = done;
    slot.kind = kind;
    slot.keep0 = keep0;
    slot.keep1 = keep1;
    slot.what = what;
    return id;
  }

  /** Frees the slot and returns what its completion needs (no allocation). */
  private release(id: number): Slot {
    const slot = this.slots[id] as Slot;
    this.free.push(id);
    return slot;
  }

  private started(id: number, status: number): void {
    if (status === 0) {
      this.inFlight++;
      if (!this.wakeScheduled) {
        this.wakeScheduled = true;
        setImmediate(this.wakeWorkers);
      }
      return;
    }
    const slot = this.release(id);
    const done = slot.done as DoneWithLength;
    slot.done = null;
    slot.keep0 = null;
    slot.keep1 = null;
    if (status === STATUS_POOL_CLOSED) {
      // Asynchronous like every other completion.
      const err = statusError(status, slot.what);
      queueMicrotask(() => done(err, 0));
      return;
    }
    check(status, slot.what); // argument errors are the caller's bug: throw now
  }

  /** Called by the native side with `count` records in `completions`. */
  onNativeCompletions(count: number): void {
    const records = this.completions;
    for (let i = 0; i < count; i++) {
      const id = records[i * 4] as number;
      const status = records[i * 4 + 1] as number;
      const length = records[i * 4 + 2] as number;
      const detail = records[i * 4 + 3] as number;
      const slot = this.release(id);
      const done = slot.done as DoneWithLength;
      const what = slot.what;
      slot.done = null;
      slot.keep0 = null;
      slot.keep1 = null;
      this.inFlight--;
      let err: IkelbError | null = null;
      if (status === STATUS_CERT_CHAIN) {
        err = statusError(status, what, `${cryptoNative().chainErrorString(detail)} at depth ${length}`);
      } else if (status !== 0) {
        err = statusError(status, what);
      }
      try {
        done(err, err === null ? length : 0);
      } catch (thrown) {
        // Report it like any uncaught exception, after the rest of the batch is delivered.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
  }
}

let defaultPoolInstance: CryptoPool | undefined;
let defaultPoolOptions: CryptoPoolOptions = {};

/** Options for the default pool; only before its first use. */
export function configureDefaultPool(options: CryptoPoolOptions): void {
  if (defaultPoolInstance !== undefined) {
    throw new IkelbError('IKELB_ERR_CRYPTO_ARGUMENT', 'the default crypto pool is already running');
  }
  defaultPoolOptions = options;
}

/** The pool of this thread (one per worker_thread: the addon keeps per-environment state). */
export function defaultPool(): CryptoPool {
  defaultPoolInstance ??= new CryptoPool(defaultPoolOptions);
  return defaultPoolInstance;
}

/** Closes the default pool (a new one is created on next use). */
export function closeDefaultPool(): void {
  defaultPoolInstance?.close();
  defaultPoolInstance = undefined;
}
