// The pure Node `dgram` redirector of bench/redirect: what a user would
// otherwise write. The same work as the C redirector (header, payload chain
// with bounds checks, Ni 16..256, N(REDIRECT_SUPPORTED)/REDIRECTED_FROM, answer
// HDR(SPIi, 0), N(REDIRECT, target, Ni)), one JS callback and one Buffer per
// datagram because dgram offers nothing else (no recvmmsg).
//   node node-redirector.mjs --address 127.0.0.1 --port 5500 --target 192.0.2.11[,...]
import dgram from 'node:dgram';
import { isIPv4 } from 'node:net';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const address = arg('--address', '127.0.0.1');
const port = Number(arg('--port', '500'));
const targets = arg('--target', '').split(',').filter(Boolean).map((t) => {
  if (isIPv4(t)) return { type: 1, bytes: Buffer.from(t.split('.').map(Number)) };
  throw new Error(`IPv4 targets only: ${t}`);
});
if (targets.length === 0) throw new Error('--target is required');

let rr = 0;
const socket = dgram.createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });

function answer(m) {
  const len = m.length;
  if (len < 28 || m.readUInt32BE(24) !== len || m[17] >> 4 !== 2) return undefined;
  if (m[18] !== 34 || (m[19] & 0x28) !== 0x08 || m.readUInt32BE(20) !== 0) return undefined;
  for (let i = 8; i < 16; i++) if (m[i] !== 0) return undefined;
  let nonceAt = -1;
  let nonceLen = 0;
  let supported = false;
  let next = m[16];
  let at = 28;
  while (next !== 0) {
    if (len - at < 4) return undefined;
    const plen = m.readUInt16BE(at + 2);
    if (plen < 4 || plen > len - at) return undefined;
    if (next === 40) {
      nonceAt = at + 4;
      nonceLen = plen - 4;
      if (nonceLen < 16 || nonceLen > 256) return undefined;
    } else if (next === 41 && plen >= 8) {
      const type = m.readUInt16BE(at + 6);
      if (type === 16406 || type === 16408) supported = true;
    }
    next = m[at];
    at += plen;
  }
  if (at !== len || nonceAt < 0 || !supported) return undefined;
  const t = targets[rr];
  rr = (rr + 1) % targets.length;
  const total = 28 + 8 + 2 + t.bytes.length + nonceLen;
  const out = Buffer.allocUnsafe(total);
  m.copy(out, 0, 0, 8);
  out.fill(0, 8, 16);
  out[16] = 41;
  out[17] = 0x20;
  out[18] = 34;
  out[19] = 0x20;
  out.writeUInt32BE(0, 20);
  out.writeUInt32BE(total, 24);
  out[28] = 0;
  out[29] = 0;
  out.writeUInt16BE(total - 28, 30);
  out[32] = 0;
  out[33] = 0;
  out.writeUInt16BE(16407, 34);
  out[36] = t.type;
  out[37] = t.bytes.length;
  t.bytes.copy(out, 38);
  m.copy(out, 38 + t.bytes.length, nonceAt, nonceAt + nonceLen);
  return out;
}

socket.on('message', (m, rinfo) => {
  const out = answer(m);
  if (out !== undefined) socket.send(out, rinfo.port, rinfo.address);
});
socket.bind(port, address, () => {
  process.stdout.write(`ready ${address} ${port}\n`);
});
process.on('SIGTERM', () => {
  socket.close();
  process.exit(0);
});
