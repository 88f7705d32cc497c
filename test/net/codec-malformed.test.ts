// The codec's malformed-input table (test/ike/malformed-cases.ts) on the live
// socket: every case is dropped by the fast path and counted under the drop
// reason of its codec error class; nothing is answered or handed to
// TypeScript, and the engine keeps serving.
import dgram from 'node:dgram';
import t from 'tap';
import { staticTargetTable } from '../../lib/net/target-table';
import { UdpEngine } from '../../lib/net/udp-engine';
import { malformedCases } from '../ike/malformed-cases';
import { NOTIFY, parseAnswer, saInitRequest } from './ike-sa-init';

// The codec's error classes folded into drop reasons (native/net/fast_path.cc, DropReasonFor).
function reasonFor(code: string): string {
  if (code === 'TRUNCATED_HEADER') return 'too_short';
  if (code === 'UNSUPPORTED_MAJOR_VERSION') return 'unsupported_version';
  if (['HEADER_LENGTH_TOO_SMALL', 'LENGTH_EXCEEDS_DATAGRAM', 'TRAILING_BYTES'].includes(code)) return 'bad_header';
  if (['PAYLOAD_HEADER_TRUNCATED', 'PAYLOAD_LENGTH_TOO_SMALL', 'PAYLOAD_LENGTH_OVERRUN', 'DATA_AFTER_LAST_PAYLOAD', 'TOO_MANY_PAYLOADS', 'SK_NOT_LAST', 'NESTED_SK'].includes(code)) {
    return 'bad_payload_chain';
  }
  if (code === 'UNSUPPORTED_CRITICAL_PAYLOAD') return 'unsupported_critical';
  return 'bad_payload';
}

t.test('every case of the codec\'s malformed table is dropped on the live socket and counted by its error class', async (t) => {
  const engine = UdpEngine.open({ listen: [{ address: '127.0.0.1', port: 0 }] });
  t.teardown(() => engine.close());
  engine.setRedirectInit(true);
  engine.targets.publish(staticTargetTable([{ address: '192.0.2.50', capacity: 100 }]));
  let passed = 0;
  engine.onBatch = (b) => (passed += b.count);
  const socket = dgram.createSocket('udp4');
  const answers: Buffer[] = [];
  socket.on('message', (m) => answers.push(m));
  t.teardown(() => socket.close());
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = engine.sockets[0]?.port ?? 0;
  const until = async (ok: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  // IPv4 UDP carries at most 65,507 octets: larger cases cannot reach a socket.
  const sendable = malformedCases.filter((c) => c.datagram.length <= 65_507);
  t.comment(`${sendable.length} of ${malformedCases.length} cases fit a UDP datagram`);
  t.ok(sendable.length >= 50, `${sendable.length} cases`);
  for (const c of sendable) {
    const reason = reasonFor(c.code);
    const before = engine.counters.drop(reason);
    const received = engine.counters.get('datagrams_received');
    socket.send(c.datagram, port, '127.0.0.1');
    await until(() => engine.counters.get('datagrams_received') === received + 1);
    t.equal(engine.counters.drop(reason), before + 1, `${c.name}: dropped as ${reason} (${c.code})`);
  }
  t.equal(answers.length, 0, 'none was answered');
  t.equal(passed, 0, 'none reached TypeScript');
  socket.send(saInitRequest().datagram, port, '127.0.0.1');
  await until(() => answers.length === 1);
  t.equal(parseAnswer(answers[0] ?? Buffer.alloc(0)).notifies[0]?.type, NOTIFY.REDIRECT, 'the engine still serves');
});
