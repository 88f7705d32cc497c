// The data plane follows the config: listen addresses (IKE + NAT-T port each),
// `redirect gateway init`, `cookie-challenge N` and the static target list; a
// static entry naming one of this gateway's addresses means "serve locally".
import dgram from 'node:dgram';
import t from 'tap';
import { DataplaneComponent } from '../../lib/net/dataplane-component';
import { dataplaneOptionsFromConfig } from '../../lib/net/dataplane-config';
import { conf, GATEWAY_BASE, parseOk } from '../config/parse-helpers';
import { NOTIFY, parseAnswer, parseRedirect, saInitRequest } from './ike-sa-init';

t.test('listen, redirect gateway init, cookie-challenge and static targets map onto the data plane', async (t) => {
  const config = parseOk(
    t,
    GATEWAY_BASE +
      conf(
        'crypto ikev2 listen address 127.0.0.1 port 15500 nat-t-port 14500',
        'crypto ikev2 listen address ::1 port 15500 nat-t-port 14500',
        'crypto ikev2 redirect gateway init',
        'crypto ikev2 redirect gateway static 192.0.2.11 capacity 100',
        'crypto ikev2 redirect gateway static 192.0.2.12 capacity 300',
        'crypto ikev2 cookie-challenge 50',
      ),
  );
  const options = dataplaneOptionsFromConfig(config);
  t.same(options.listen, [
    { address: '127.0.0.1', port: 15500 },
    { address: '127.0.0.1', port: 14500, natt: true },
    { address: '::1', port: 15500 },
    { address: '::1', port: 14500, natt: true },
  ]);
  t.equal(options.redirectInit, true);
  t.equal(options.cookieChallenge, 50);
  t.same(options.staticTargets, [
    { address: '192.0.2.11', capacity: 100 },
    { address: '192.0.2.12', capacity: 300 },
  ]);
  t.ok(options.localAddresses?.includes('192.0.2.11'), 'the interface address is this gateway');

  // Running it: 192.0.2.11 is this gateway (served here), so every client goes to 192.0.2.12.
  const dataplane = new DataplaneComponent(options);
  await dataplane.start();
  t.teardown(() => dataplane.stop());
  t.same(
    dataplane.engine.sockets.map((s) => `${s.address}:${s.port}${s.natt ? ' natt' : ''}`),
    ['127.0.0.1:15500', '127.0.0.1:14500 natt', '::1:15500', '::1:14500 natt'],
  );
  t.equal(dataplane.engine.cookieThreshold, 50);
  const socket = dgram.createSocket('udp4');
  t.teardown(() => socket.close());
  const answer = await new Promise<Buffer>((resolve) => {
    socket.once('message', resolve);
    socket.send(saInitRequest().datagram, 15500, '127.0.0.1');
  });
  const a = parseAnswer(answer);
  t.equal(a.notifies[0]?.type, NOTIFY.REDIRECT);
  t.equal(parseRedirect(a.notifies[0]?.data ?? Buffer.alloc(0)).gateway, '192.0.2.12');
});

t.test('without listen lines the gateway binds 0.0.0.0 and :: on 500 and 4500', async (t) => {
  const config = parseOk(t, GATEWAY_BASE);
  const options = dataplaneOptionsFromConfig(config);
  t.same(options.listen, [
    { address: '0.0.0.0', port: 500 },
    { address: '0.0.0.0', port: 4500, natt: true },
    { address: '::', port: 500 },
    { address: '::', port: 4500, natt: true },
  ]);
  t.equal(options.redirectInit, false);
  t.equal(options.cookieChallenge, null);
});
