import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { main } from '../../lib/cli/main';
import { encodeMessage } from '../../lib/ike/codec';
import { ikePacket, writePcap } from '../support/tshark';
import { run } from '../support/run';
import { ikeSaInitRequest, initNonce, redirectResponse } from '../ike/fixtures';
import { malformedCases } from '../ike/malformed-cases';

function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function decode(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(['decode', ...args], { stdout: out.stream, stderr: err.stream });
  return { code, out: out.text(), err: err.text() };
}

/** Splits concatenated pretty-printed JSON documents. */
function documents(text: string): unknown[] {
  return text
    .split(/\n(?=\{)/)
    .filter((s) => s.trim() !== '')
    .map((s) => JSON.parse(s) as unknown);
}

const initBytes = encodeMessage(ikeSaInitRequest);
const redirectBytes = encodeMessage(redirectResponse('192.0.2.20'));

function scratch(t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-decode-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const expectedInit = {
  length: initBytes.length,
  header: { spiI: ikeSaInitRequest.header.spiI, exchangeType: 'IKE_SA_INIT', flags: ['INITIATOR'], messageId: 0 },
  payloads: [
    {
      type: 'SA',
      proposals: [
        {
          number: 1,
          protocol: 'IKE',
          transforms: [
            { type: 'ENCR', id: 'ENCR_AES_GCM_16', attributes: [{ type: 'KEY_LENGTH', value: 256 }] },
            { type: 'PRF', id: 'PRF_HMAC_SHA2_256' },
            { type: 'DH', id: 'CURVE25519' },
          ],
        },
        { number: 2 },
        { number: 3 },
      ],
    },
    { type: 'KE', dhGroup: 'CURVE25519', length: 32 },
    { type: 'NONCE', length: 32, data: initNonce.toString('hex') },
    { type: 'NOTIFY', notifyType: 'NAT_DETECTION_SOURCE_IP' },
    { type: 'NOTIFY', notifyType: 'NAT_DETECTION_DESTINATION_IP' },
    { type: 'NOTIFY', notifyType: 'IKEV2_FRAGMENTATION_SUPPORTED' },
    { type: 'NOTIFY', notifyType: 'SIGNATURE_HASH_ALGORITHMS', parsed: { hashAlgorithms: ['SHA2_256', 'SHA2_384', 'SHA2_512', 'IDENTITY'] } },
    { type: 'NOTIFY', notifyType: 'REDIRECT_SUPPORTED' },
  ],
};

t.test('ikelb decode prints a hex datagram given on the command line as JSON', async (t) => {
  const r = await decode(initBytes.toString('hex'));
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), expectedInit);
});

t.test('ikelb decode reads a file of hex (with whitespace and line breaks, as copied from a dump)', async (t) => {
  const file = path.join(scratch(t), 'init.hex');
  writeFileSync(file, `${(initBytes.toString('hex').match(/.{1,32}/g) ?? []).join('\n  ')}\n`);
  const r = await decode(file);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), expectedInit);
});

t.test('ikelb decode reads a raw binary datagram file', async (t) => {
  const file = path.join(scratch(t), 'redirect.bin');
  writeFileSync(file, redirectBytes);
  const r = await decode(file);
  t.equal(r.code, 0, r.err);
  t.match(JSON.parse(r.out), {
    header: { exchangeType: 'IKE_SA_INIT', flags: ['RESPONSE'] },
    payloads: [{ type: 'NOTIFY', notifyType: 'REDIRECT', parsed: { gwIdentType: 'IPV4', gateway: '192.0.2.20', nonce: initNonce.toString('hex') } }],
  });
});

t.test('ikelb decode prints one JSON document per IKE datagram of a pcap, stripping the non-ESP marker on 4500', async (t) => {
  const file = path.join(scratch(t), 'exchange.pcap');
  writePcap(file, [
    ikePacket(initBytes, { src: '198.51.100.10', dst: '192.0.2.1' }),
    { payload: Buffer.from('not ike'), src: '198.51.100.10', dst: '192.0.2.1', sport: 53, dport: 53 },
    ikePacket(redirectBytes, { src: '192.0.2.1', dst: '198.51.100.10' }),
    ikePacket(initBytes, { src: '2001:db8::10', dst: '2001:db8::1', sport: 4500, dport: 4500 }),
    // ESP on 4500 (non-zero SPI, no marker) is not IKE.
    { payload: Buffer.from('0000abcd00000001', 'hex'), src: '198.51.100.10', dst: '192.0.2.1', sport: 4500, dport: 4500, nonEspMarker: false },
  ]);
  const r = await decode(file);
  t.equal(r.code, 0, r.err);
  const docs = documents(r.out);
  t.equal(docs.length, 3, 'three IKE datagrams, DNS and ESP skipped');
  t.match(docs[0], { frame: 1, source: '198.51.100.10:500', destination: '192.0.2.1:500', ...expectedInit });
  t.match(docs[1], { frame: 3, source: '192.0.2.1:500', payloads: [{ notifyType: 'REDIRECT' }] });
  t.match(docs[2], { frame: 4, source: '[2001:db8::10]:4500', destination: '[2001:db8::1]:4500', nonEspMarker: true, header: { exchangeType: 'IKE_SA_INIT' } });
});

t.test('ikelb decode reads a pcapng capture written by dumpcap/tshark', async (t) => {
  const dir = scratch(t);
  const pcap = path.join(dir, 'in.pcap');
  const pcapng = path.join(dir, 'out.pcapng');
  writePcap(pcap, [ikePacket(initBytes), ikePacket(redirectBytes)]);
  const conv = await run('tshark', ['-r', pcap, '-w', pcapng, '-F', 'pcapng']);
  t.equal(conv.code, 0, conv.stderr);
  const r = await decode('--compact', pcapng);
  t.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.equal(lines.length, 2, 'one compact JSON line per datagram');
  t.match(JSON.parse(lines[1] ?? '{}'), { frame: 2, payloads: [{ notifyType: 'REDIRECT' }] });
});

t.test('ikelb decode on a malformed datagram names the error code, field and offset and exits 1', async (t) => {
  const c = malformedCases.find((m) => m.slug === 'nonce-zero-length');
  if (c === undefined) throw new Error('case missing');
  const r = await decode(c.datagram.toString('hex'));
  t.equal(r.code, 1);
  t.equal(r.out, '', 'nothing on stdout');
  t.match(r.err, /^ikelb decode: NONCE_LENGTH at NONCE\.data \(offset 32\): nonce of 0 octets is outside 16\.\.256\n$/);
});

t.test('ikelb decode on a pcap with one bad datagram prints the good ones, reports the bad frame and exits 1', async (t) => {
  const file = path.join(scratch(t), 'mixed.pcap');
  const bad = malformedCases.find((m) => m.slug === 'ke-oversized-modp2048')?.datagram ?? Buffer.alloc(0);
  writePcap(file, [ikePacket(initBytes), ikePacket(bad, { src: '192.0.2.66' }), ikePacket(redirectBytes)]);
  const r = await decode(file);
  t.equal(r.code, 1);
  t.equal(documents(r.out).length, 2, 'the two good datagrams are printed');
  t.match(r.err, /frame 2 \(192\.0\.2\.66:500 -> 192\.0\.2\.2:500\): KE_DATA_LENGTH at KE\.data \(offset 36\)/);
});

t.test('ikelb decode refuses input that is neither a file nor hex, with usage', async (t) => {
  const r = await decode('hello-world');
  t.equal(r.code, 2);
  t.match(r.err, /'hello-world' is neither a file nor hex/);
  t.match(r.err, /usage: ikelb decode/);
  const none = await decode();
  t.equal(none.code, 2);
});

t.test('ikelb decode reports a truncated capture file', async (t) => {
  const file = path.join(scratch(t), 'cut.pcap');
  const whole = path.join(scratch(t), 'whole.pcap');
  writePcap(whole, [ikePacket(initBytes)]);
  const { readFileSync } = await import('node:fs');
  writeFileSync(file, readFileSync(whole).subarray(0, 60));
  const r = await decode(file);
  t.equal(r.code, 1);
  t.match(r.err, /not a readable capture file: frame 1 runs past the end of the file/);
});

t.test('the installed ikelb binary decodes from stdin (-)', async (t) => {
  const bin = path.join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
  const r = await run(process.execPath, [bin, 'decode', '-'], { input: redirectBytes.toString('hex') });
  t.equal(r.code, 0, r.stderr);
  t.match(JSON.parse(r.stdout), { payloads: [{ notifyType: 'REDIRECT' }] });
});
