// Where a gateway's CPU goes, per stage of the handshake pipeline, from a
// `perf record -g` of the server (bench/handshake/run.ts --perf records one).
// Every sample is given to one stage: threads first (I/O thread, crypto pool,
// V8 helpers), then, on the JavaScript thread, the innermost frame of its
// call stack that a stage rule names (so malloc under the decoder counts as
// decode, a scavenge under the decoder as GC). Run the server with
// --perf-basic-prof so JIT frames have names.
//
//   node --import=... bench/handshake/stages.ts perf.data [handshakes]
// prints a table: share of samples and, given the handshakes completed during
// the recording, microseconds per handshake (scaled so that the samples add up
// to the process's CPU time when --cpu-us is given, else 1 sample = 1/F s).
import { execFileSync } from 'node:child_process';

interface Rule {
  readonly stage: string;
  readonly re: RegExp;
}

/** Innermost matching frame wins; order breaks ties within one frame. */
const jsThreadRules: readonly Rule[] = [
  { stage: 'DH (X25519) on the JS thread', re: /x25519|ecx_|X25519/ },
  { stage: 'GC (JS thread)', re: /Scavenger|ScavengeObject|MarkCompact|Heap::CollectGarbage|Heap::Scavenge|ArrayBufferSweeper|Sweeper::|MinorMarkCompact/ },
  { stage: 'scheduler / context switch', re: /finish_task_switch|__schedule|schedule_hrtimeout|irqentry_exit_to_user_mode|asm_sysvec_reschedule_ipi/ },
  { stage: 'send (sendmmsg + staging)', re: /sendmmsg|send-queue\.js|UdpEngine::Flush|sendRaw|udp-engine-component\.js:6\d:|JS:[*^~]?(send|flush) \S*dataplane-component\.js/ },
  { stage: 'SK unprotect (AES-GCM open)', re: /skUnprotect|SkUnprotect|tryUnprotect|JS:\*?unprotect / },
  { stage: 'SK protect (AES-GCM seal)', re: /skProtect|SkProtect|skSealedSizes|SkSizes|JS:\*?protect / },
  { stage: 'retransmit digest (SHA-1 of requests)', re: /core\.js.*digest|JS:\*?digest / },
  { stage: 'NAT detection (SHA-1)', re: /natHash|detectNat|natNotifies|crypto-adapter\.js.*sha1/ },
  { stage: 'random (nonces, SPIs)', re: /RandomFill|randomBytes|RAND_bytes|allocateSpi|allocateChildSpi/ },
  { stage: 'AUTH (PSK prf)', re: /pskAuth|pskVerify|PskAuth|PskVerify|verifyPeerAuth|computeOwnAuth/ },
  { stage: 'key derivation (SKEYSEED, prf+, KEYMAT)', re: /installIkeKeys|deriveIkeSaKeys|DeriveIkeSaKeys|deriveChildKeymat|DeriveChildKeymat|childKeymat|keys\.js|SkContextInit|skContextInit/ },
  { stage: 'encode (codec + wire model)', re: /encodePayloads|encodeMessage|EncodeMessage|EncodePayloads|ReadTape|writeMessageTape|writePayloadsTape|wire\.js.*(toCodec|proposalToCodec|encode)|tape\.js.*(write|Writer)|TapeWriter|addressText/ },
  { stage: 'decode (codec + wire model)', re: /decodeMessage|decodePayloads|DecodeMessage|DecodePayloads|WriteTape|readMessageTape|readPayloadsTape|TapeReader|wire\.js.*(fromCodec|convert|selectorFromCodec|proposalFromCodec|decode)|tape\.js|addressBytes|privateCopy/ },
  { stage: 'DH job submit (N-API)', re: /poolDh|PoolDh|submitDh|dhRespond|dhGenerate|dhDerive/ },
  { stage: 'crypto pool completions (TSFN → JS)', re: /onNativeCompletions|DeliverCompleted|crypto.*CallJs/ },
  { stage: 'receive batch (TSFN, copies, endpoints)', re: /udp-engine-component\.js:2\d:|received-batch\.js|UdpEngine::CallJs|formatAddress|udp-engine\.js|JS:[*^~]? \S*dataplane-component\.js/ },
  { stage: 'IKE state machines (lib/ike JS)', re: /dist\/ike\/|dist\/crypto\/|lib\/ike\/|lib\/crypto\// },
  { stage: 'other JS / timers / event loop', re: /JS:|Builtins_RunMicrotasks|uv_run/ },
];

interface Sample {
  readonly comm: string;
  readonly tid: number;
  readonly frames: string[];
}

function* samples(file: string): Generator<Sample> {
  const text = execFileSync('perf', ['script', '-i', file, '-F', 'comm,tid,ip,sym'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  let current: Sample | undefined;
  for (const line of text.split('\n')) {
    if (line === '') {
      if (current !== undefined) yield current;
      current = undefined;
      continue;
    }
    if (!line.startsWith('\t')) {
      const m = /^(.*?)\s+(\d+)\s*$/.exec(line);
      current = { comm: m?.[1] ?? line, tid: Number(m?.[2] ?? 0), frames: [] };
      continue;
    }
    current?.frames.push(line.trim().replace(/^[0-9a-f]+\s+/, ''));
  }
  if (current !== undefined) yield current;
}

type ThreadKind = 'main' | 'io' | 'pool' | 'v8' | 'uv' | 'other';

/** What each thread is, from everything it was seen doing (stacks through OpenSSL's assembly are short). */
function classifyThreads(list: readonly Sample[]): Map<number, ThreadKind> {
  const seen = new Map<number, { uv: number; pool: boolean; v8: boolean; uvw: boolean; io: boolean }>();
  for (const s of list) {
    const t = seen.get(s.tid) ?? { uv: 0, pool: false, v8: false, uvw: false, io: false };
    const all = s.frames.join('\n');
    if (all.includes('uv_run')) t.uv++;
    if (/JobPool|DhJob|SignJob|x25519/.test(all)) t.pool = true;
    if (/v8::platform|WorkerThread|ConcurrentMarking|JobTask|ScavengerCollector/.test(all)) t.v8 = true;
    if (/uv__work|uv_thread/.test(all)) t.uvw = true;
    if (s.comm === 'ikelb-udp') t.io = true;
    seen.set(s.tid, t);
  }
  const mainTid = [...seen.entries()].sort((a, b) => b[1].uv - a[1].uv)[0]?.[0] ?? -1;
  const kinds = new Map<number, ThreadKind>();
  for (const [tid, t] of seen) kinds.set(tid, tid === mainTid ? 'main' : t.io ? 'io' : t.pool ? 'pool' : t.v8 ? 'v8' : t.uvw ? 'uv' : 'other');
  return kinds;
}

function threadStage(s: Sample, kind: ThreadKind): string | undefined {
  switch (kind) {
    case 'main':
      return undefined;
    case 'io':
      return 'I/O thread (recvmmsg, fast path, slab)';
    case 'pool':
      return /x25519|ecx|X25519/.test(s.frames[0] ?? '') ? 'crypto pool: X25519 arithmetic' : 'crypto pool: job overhead (EVP, queue, wake-ups)';
    case 'v8':
      return 'GC (V8 helper threads)';
    case 'uv':
      return 'libuv thread pool';
    default:
      return `other thread (${s.comm})`;
  }
}

export function stageTable(file: string, handshakes: number, cpuSeconds: number | undefined): string {
  const counts = new Map<string, number>();
  let total = 0;
  const list = [...samples(file)];
  const kinds = classifyThreads(list);
  for (const s of list) {
    total++;
    let stage = threadStage(s, kinds.get(s.tid) ?? 'other');
    if (stage === undefined) {
      outer: for (const f of s.frames) {
        for (const r of jsThreadRules) {
          if (r.re.test(f)) {
            stage = r.stage;
            break outer;
          }
        }
      }
      stage ??= 'JS thread: runtime / unattributed';
    }
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  }
  const perSample = cpuSeconds !== undefined && total > 0 ? cpuSeconds / total : undefined;
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const out = [`${'stage'.padEnd(48)}${'share'.padStart(8)}${perSample !== undefined && handshakes > 0 ? 'µs/handshake'.padStart(14) : ''}`];
  for (const [stage, n] of rows) {
    const us = perSample !== undefined && handshakes > 0 ? ((n * perSample) / handshakes) * 1e6 : undefined;
    out.push(`${stage.padEnd(48)}${((100 * n) / total).toFixed(1).padStart(7)}%${us !== undefined ? us.toFixed(1).padStart(14) : ''}`);
  }
  out.push(`${'total'.padEnd(48)}${'100.0%'.padStart(8)}${perSample !== undefined && handshakes > 0 ? (((total * perSample) / handshakes) * 1e6).toFixed(1).padStart(14) : ''}  (${total} samples)`);
  return out.join('\n');
}

if (require.main === module) {
  const [file, hs, cpu] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: stages.ts perf.data [handshakes] [cpu-seconds]\n');
    process.exit(2);
  }
  process.stdout.write(`${stageTable(file, Number(hs ?? 0), cpu === undefined ? undefined : Number(cpu))}\n`);
}
