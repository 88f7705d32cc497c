// Writes lib/ike/constants.ts from native/ike/constants.def, the one place
// IKEv2 protocol constants are defined (C++ includes the same file).
//
//   node test/support/gen-constants.mjs            write lib/ike/constants.ts
//   node test/support/gen-constants.mjs --check    exit 1 if it is out of date
//   --def FILE / --out FILE                        other paths (used by tests)
//
// The .def grammar is strict on purpose: a line the generator does not
// understand is an error, so C++ and TypeScript can never silently disagree.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function parseArgs(argv) {
  const opts = {
    def: path.join(root, 'native', 'ike', 'constants.def'),
    out: path.join(root, 'lib', 'ike', 'constants.ts'),
    check: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') opts.check = true;
    else if (arg === '--def') opts.def = path.resolve(argv[++i] ?? '');
    else if (arg === '--out') opts.out = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

const IDENT = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;
const NUMBER = String.raw`(0x[0-9A-Fa-f]+|[0-9]+)`;
const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const SEP = String.raw`\s*,\s*`;
const forms = {
  IKELB_TABLE: new RegExp(String.raw`^IKELB_TABLE\(\s*${IDENT}${SEP}(uint8_t|uint16_t|uint32_t)${SEP}${STRING}\s*\)$`),
  IKELB_CONST: new RegExp(String.raw`^IKELB_CONST\(\s*${IDENT}${SEP}${IDENT}${SEP}${NUMBER}${SEP}${STRING}\s*\)$`),
  IKELB_KE_LENGTH: new RegExp(String.raw`^IKELB_KE_LENGTH\(\s*${IDENT}${SEP}${NUMBER}${SEP}${STRING}\s*\)$`),
  IKELB_NOTIFY_DATA: new RegExp(String.raw`^IKELB_NOTIFY_DATA\(\s*${IDENT}${SEP}${NUMBER}${SEP}${NUMBER}${SEP}${STRING}\s*\)$`),
  IKELB_DECODE_ERROR: new RegExp(String.raw`^IKELB_DECODE_ERROR\(\s*${IDENT}${SEP}${IDENT}${SEP}${STRING}\s*\)$`),
};
const maxOf = { uint8_t: 0xff, uint16_t: 0xffff, uint32_t: 0xffffffff };

export function parseDef(text, file = 'constants.def') {
  const tables = new Map(); // name -> { type, doc, entries: [{name, value, ref}] }
  const keLengths = [];
  const notifyData = [];
  const decodeErrors = [];
  const fail = (line, msg) => {
    throw new Error(`${file}:${line}: ${msg}`);
  };
  const lookup = (line, table, name) => {
    const t = tables.get(table);
    const entry = t?.entries.find((e) => e.name === name);
    if (entry === undefined) fail(line, `${table}.${name} is not defined above`);
    return entry;
  };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('//') || s.startsWith('#')) return;
    const macro = /^([A-Z_]+)\(/.exec(s)?.[1];
    const form = macro === undefined ? undefined : forms[macro];
    const m = form?.exec(s);
    if (m === undefined || m === null) fail(line, `not a recognised constants line: ${s}`);
    switch (macro) {
      case 'IKELB_TABLE': {
        const [, name, type, doc] = m;
        if (tables.has(name)) fail(line, `table ${name} is declared twice`);
        tables.set(name, { type, doc, entries: [] });
        break;
      }
      case 'IKELB_CONST': {
        const [, table, name, value, ref] = m;
        const t = tables.get(table);
        if (t === undefined) fail(line, `table ${table} is not declared above`);
        if (t.entries.some((e) => e.name === name)) fail(line, `${table}.${name} is defined twice`);
        const v = Number(value);
        if (v > maxOf[t.type]) fail(line, `${table}.${name} = ${value} does not fit ${t.type}`);
        t.entries.push({ name, value: v, literal: value, ref });
        break;
      }
      case 'IKELB_KE_LENGTH': {
        const [, group, octets, ref] = m;
        const entry = lookup(line, 'DhGroup', group);
        keLengths.push({ group, value: entry.value, octets: Number(octets), ref });
        break;
      }
      case 'IKELB_NOTIFY_DATA': {
        const [, notify, min, max, ref] = m;
        const entry = lookup(line, 'NotifyType', notify);
        if (Number(min) > Number(max)) fail(line, `${notify}: min ${min} > max ${max}`);
        notifyData.push({ notify, value: entry.value, min: Number(min), max: Number(max), ref });
        break;
      }
      case 'IKELB_DECODE_ERROR': {
        const [, name, notify, detail] = m;
        lookup(line, 'NotifyType', notify);
        if (decodeErrors.some((e) => e.name === name)) fail(line, `decode error ${name} is defined twice`);
        decodeErrors.push({ name, notify, detail });
        break;
      }
      default:
        fail(line, `unknown macro ${macro}`);
    }
  });
  return { tables, keLengths, notifyData, decodeErrors };
}

const quote = (s) => `'${s.replace(/\\"/g, '"').replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function renderTs(model, defRelPath = 'native/ike/constants.def') {
  const out = [];
  out.push(`// GENERATED from ${defRelPath} by test/support/gen-constants.mjs (npm run gen:constants).`);
  out.push('// Do not edit: change the .def file and regenerate. test/ike/constants-sync.test.ts');
  out.push('// fails when this file is out of date.');
  out.push('/* eslint-disable */');
  out.push('');
  for (const [name, table] of model.tables) {
    out.push(`/** ${table.doc} */`);
    out.push(`export const ${name} = {`);
    for (const e of table.entries) {
      out.push(`  /** ${e.ref} */`);
      out.push(`  ${e.name}: ${e.literal},`);
    }
    out.push('} as const;');
    out.push(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`);
    out.push('');
  }
  out.push('/** Fixed key exchange data length in octets per DH group (RFC 7296 §3.4); groups not listed have none. */');
  out.push('export const KeDataLength: ReadonlyMap<number, number> = new Map<number, number>([');
  for (const k of model.keLengths) out.push(`  [DhGroup.${k.group}, ${k.octets}], // ${k.ref}`);
  out.push(']);');
  out.push('');
  out.push('/** Notification data length bounds in octets per notify type, where an RFC fixes them. */');
  out.push('export const NotifyDataLength: ReadonlyMap<number, { readonly min: number; readonly max: number }> = new Map([');
  for (const n of model.notifyData) out.push(`  [NotifyType.${n.notify}, { min: ${n.min}, max: ${n.max} }], // ${n.ref}`);
  out.push(']);');
  out.push('');
  out.push('/** Every decode error code, the notify a responder answers it with, and its detail template. */');
  out.push('export const DecodeErrors = {');
  for (const e of model.decodeErrors) {
    out.push(`  ${e.name}: { notify: NotifyType.${e.notify}, detail: ${quote(e.detail)} },`);
  }
  out.push('} as const;');
  out.push('export type DecodeErrorCode = keyof typeof DecodeErrors;');
  out.push('');
  out.push('/** Every table above by name, for name lookups (lib/ike/names.ts). */');
  out.push('export const ConstantTables = {');
  for (const name of model.tables.keys()) out.push(`  ${name},`);
  out.push('} as const;');
  out.push('export type ConstantTableName = keyof typeof ConstantTables;');
  out.push('');
  return out.join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const model = parseDef(readFileSync(opts.def, 'utf8'), path.relative(root, opts.def));
  const text = renderTs(model);
  if (opts.check) {
    const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${path.relative(root, opts.out)} is out of date with ${path.relative(root, opts.def)}: run npm run gen:constants\n`);
      process.exit(1);
    }
    process.stdout.write(`${path.relative(root, opts.out)} is up to date\n`);
    return;
  }
  writeFileSync(opts.out, text);
  process.stdout.write(`wrote ${path.relative(root, opts.out)}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`gen-constants: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
