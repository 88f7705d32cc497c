// bench/codec: cost of the IKEv2 codec as TypeScript sees it, per message, on
// a real strongSwan IKE_SA_INIT (320 octets, 8 payloads) and a larger
// IKE_AUTH-style plaintext (13 payloads, certificate, TS, CP). Ratios are
// against baselines measured in the same run, on the same machine:
//   json.parse   JSON.parse of the same message as JSON text (what decoding a
//                structured message costs in plain JavaScript)
//   buffer.copy  Buffer.from(datagram) (the floor: one allocation and copy)
// Writes bench/results/codec.json and codec.svg.
//   npm run bench:codec [-- --ms 500]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeMessage, encodeMessage, validateMessage } from '../lib/ike/codec';
import { ikeAuthPlain } from '../test/ike/fixtures';

const msArg = process.argv.indexOf('--ms');
const runMs = msArg > 0 ? Number(process.argv[msArg + 1]) : 500;
const resultsDir = path.join(__dirname, 'results');

/** Operations per second of fn, over about runMs, best of 3 rounds (machines are noisy). */
function opsPerSecond(fn: () => unknown): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < runMs) {
      for (let i = 0; i < 200; i++) fn();
      n += 200;
      now = performance.now();
    }
    best = Math.max(best, (n * 1000) / (now - start));
  }
  return best;
}

const inputs = {
  'strongSwan IKE_SA_INIT': readFileSync(path.join(__dirname, '..', 'test', 'vectors', 'ike', 'valid', 'strongswan-5.9.8-ike-sa-init.bin')),
  'IKE_AUTH plaintext': encodeMessage(ikeAuthPlain),
};

interface Row {
  readonly input: string;
  readonly octets: number;
  readonly op: string;
  readonly opsPerSec: number;
  readonly vsJsonParse: number;
  readonly vsBufferCopy: number;
}

const rows: Row[] = [];
for (const [name, bytes] of Object.entries(inputs)) {
  const r = decodeMessage(bytes);
  if (!r.ok) throw new Error(`${name} does not decode`);
  const message = r.message;
  const json = JSON.stringify(message, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? (v as { data: number[] }).data : v,
  );
  const baseJson = opsPerSecond(() => JSON.parse(json));
  const baseCopy = opsPerSecond(() => Buffer.from(bytes));
  const ops: [string, () => unknown][] = [
    ['decodeMessage', () => decodeMessage(bytes)],
    ['validateMessage', () => validateMessage(bytes)],
    ['encodeMessage', () => encodeMessage(message)],
    ['json.parse (baseline)', () => JSON.parse(json)],
    ['buffer.copy (baseline)', () => Buffer.from(bytes)],
  ];
  for (const [op, fn] of ops) {
    const v = op.startsWith('json') ? baseJson : op.startsWith('buffer') ? baseCopy : opsPerSecond(fn);
    rows.push({ input: name, octets: bytes.length, op, opsPerSec: Math.round(v), vsJsonParse: v / baseJson, vsBufferCopy: v / baseCopy });
  }
}

const table = [
  ['input', 'octets', 'operation', 'ops/s', 'x JSON.parse', 'x Buffer.from'],
  ...rows.map((r) => [r.input, String(r.octets), r.op, r.opsPerSec.toLocaleString('en'), r.vsJsonParse.toFixed(2), r.vsBufferCopy.toFixed(3)]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
const text = table.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
process.stdout.write(`${text}\n`);

function svg(): string {
  const width = 720;
  const barH = 18;
  const left = 330;
  const max = Math.max(...rows.map((r) => r.opsPerSec));
  const height = 40 + rows.length * (barH + 6);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="20" font-weight="bold">IKEv2 codec, operations per second (higher is better)</text>`,
  ];
  rows.forEach((r, i) => {
    const y = 34 + i * (barH + 6);
    const w = ((width - left - 90) * r.opsPerSec) / max;
    parts.push(`<text x="10" y="${y + 13}">${r.input}: ${r.op}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${r.op.includes('baseline') ? '#bbb' : '#4a7ebb'}"/>`);
    parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${y + 13}">${r.opsPerSec.toLocaleString('en')}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, 'codec.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, runMs, rows }, null, 2)}\n`);
writeFileSync(path.join(resultsDir, 'codec.svg'), svg());
writeFileSync(path.join(resultsDir, 'codec.txt'), `${text}\n`);
