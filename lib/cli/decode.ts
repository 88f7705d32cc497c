// `ikelb decode <hex-or-file>`: a small IKEv2 dissector. Prints each IKE
// datagram as JSON (lib/ike/dissect.ts). Input: a hex string, a file of hex,
// a raw binary datagram, or a pcap/pcapng capture (every UDP 500/4500 IKE
// datagram in it, the 4500 non-ESP marker stripped; one JSON document each).
// A datagram that does not decode is reported on stderr with its error
// code, field and byte offset, and the command exits 1.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ikeDatagrams } from '../capture/ike';
import { isCapture, readCapture } from '../capture/pcap';
import { IkelbError } from '../errors';
import { decodeMessage, formatDecodeError } from '../ike/codec';
import { dissect } from '../ike/dissect';
import type { Command } from './command';

const usage = 'ikelb decode [--compact] <hex | file | -> (hex text, raw datagram, or pcap/pcapng capture; - reads stdin)';

/** Hex digits, allowing whitespace, colons and 0x prefixes (as copied from tools). */
function parseHex(text: string): Buffer | undefined {
  const cleaned = text.replace(/0x/gi, '').replace(/[\s:]/g, '');
  if (cleaned.length === 0 || cleaned.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(cleaned)) return undefined;
  return Buffer.from(cleaned, 'hex');
}

function looksLikeText(buf: Buffer): boolean {
  return buf.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
}

interface Input {
  readonly kind: 'hex' | 'hex file' | 'binary file' | 'capture';
  readonly bytes: Buffer;
}

function readStdin(): Buffer {
  return readFileSync(0);
}

function readInput(arg: string): Input {
  if (arg === '-' || (existsSync(arg) && statSync(arg).isFile())) {
    const bytes = arg === '-' ? readStdin() : readFileSync(arg);
    if (isCapture(bytes)) return { kind: 'capture', bytes };
    if (looksLikeText(bytes)) {
      const hex = parseHex(bytes.toString('latin1'));
      if (hex !== undefined) return { kind: 'hex file', bytes: hex };
    }
    return { kind: 'binary file', bytes };
  }
  const hex = parseHex(arg);
  if (hex === undefined) {
    throw new IkelbError('IKELB_ERR_USAGE', `'${arg.length > 40 ? `${arg.slice(0, 40)}...` : arg}' is neither a file nor hex\nusage: ${usage}`);
  }
  return { kind: 'hex', bytes: hex };
}

export const decodeCommand: Command = {
  summary: 'print a captured IKEv2 datagram (hex, raw file or pcap) as JSON',
  usage,
  async run({ args, stdout, stderr }) {
    const compact = args.includes('--compact');
    const rest = args.filter((a) => a !== '--compact');
    if (rest.length !== 1 || rest[0] === undefined) throw new IkelbError('IKELB_ERR_USAGE', `usage: ${usage}`);
    const input = readInput(rest[0]);
    const print = (doc: unknown) => stdout.write(`${JSON.stringify(doc, null, compact ? undefined : 2)}\n`);

    if (input.kind !== 'capture') {
      const r = decodeMessage(input.bytes);
      if (!r.ok) {
        throw Object.assign(new IkelbError('IKELB_ERR_DECODE', formatDecodeError(r.error)), { decodeError: r.error });
      }
      print(dissect(r.message, input.bytes.length));
      return 0;
    }

    const datagrams = ikeDatagrams(readCapture(input.bytes));
    if (datagrams.length === 0) {
      stderr.write('ikelb decode: the capture holds no IKE datagram (UDP 500 or 4500)\n');
      return 1;
    }
    let failed = 0;
    for (const d of datagrams) {
      const where = `frame ${d.frame} (${d.source} -> ${d.destination})`;
      const r = decodeMessage(d.datagram);
      if (!r.ok) {
        failed++;
        stderr.write(`ikelb decode: ${where}: ${formatDecodeError(r.error)}\n`);
        continue;
      }
      print({
        frame: d.frame,
        time: new Date(d.time * 1000).toISOString(),
        source: d.source,
        destination: d.destination,
        ...(d.nonEspMarker ? { nonEspMarker: true } : {}),
        ...dissect(r.message, d.datagram.length),
      });
    }
    return failed === 0 ? 0 : 1;
  },
};
