// libreswan harness: pluto extracted from its .deb runs privately in a namespace.
// As a global redirector it answers strongSwan's IKE_SA_INIT with a REDIRECT; as an
// initiator it establishes an IKE SA with charon (PSK).
import t from 'tap';
import { pointToPoint } from '../support/netns';
import { libreswanRoot, parseShowStates, startPluto } from '../support/libreswan';
import { pskConnection, startCharon } from '../support/strongswan';

t.test('pluto with global-redirect answers strongSwan\'s IKE_SA_INIT with a REDIRECT', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const { client, gw } = hosts;
  const pluto = await startPluto(gw, { setup: { 'global-redirect': 'yes', 'global-redirect-to': '192.0.2.9' } });
  const charon = await startCharon(client, {
    swanctl: pskConnection({ remoteAddrs: gw.addr(), localId: 'client.example', remoteId: 'gw.example', psk: 'unused-0123456789' }),
  });
  const res = await charon.initiate('net', 1);
  t.notOk(res.ok, 'nothing answers at the redirect target');
  t.match(res.output, /parsed IKE_SA_INIT response 0 \[ N\(REDIR\) \]/, 'the response carries only N(REDIRECT)');
  await charon.waitForLog(/redirected to 192\.0\.2\.9/, 1000);
  t.match(res.output, /N\(REDIR_FROM\)/, 'strongSwan goes to the new gateway with REDIRECTED_FROM');
  await pluto.waitForLog(/responding to IKE_SA_INIT .* with unencrypted notification REDIRECT/, 1000);
  t.same(await pluto.states(), [], 'the redirector keeps no state');
});

t.test('pluto as initiator establishes an IKE SA with charon using a PSK (childless: no ESP in this kernel)', async (t) => {
  const { hosts } = await pointToPoint(t, { client: ['192.0.2.1/24'], gw: ['192.0.2.2/24'] });
  const { client, gw } = hosts;
  const psk = 'pluto-to-charon-0123456789';
  const charon = await startCharon(gw, { swanctl: pskConnection({ localId: 'gw.example', remoteId: 'client.example', psk }) });
  const pluto = await startPluto(client, {
    conns: {
      home: {
        left: client.addr(),
        leftid: '@client.example',
        right: gw.addr(),
        rightid: '@gw.example',
        authby: 'secret',
        ikev2: 'insist',
        ike: 'aes_gcm256-sha2_256-dh31',
        esp: 'aes_gcm256',
        auto: 'add',
      },
    },
    secrets: `@client.example @gw.example : PSK "${psk}"`,
    impair: ['omit-v2-ike-auth-child'],
  });
  const up = await pluto.up('home', 10);
  t.ok(up.ok, up.output);
  t.match(up.output, /initiator established IKE SA; authenticated peer using authby=secret/);
  const sa = await pluto.waitForIkeSa('home', 5000);
  t.equal(sa.state, 'STATE_V2_ESTABLISHED_IKE_SA');
  t.ok(sa.ike && sa.established);
  const gwSa = await charon.waitForSa((s) => s.state === 'ESTABLISHED', 5000, 'an established IKE SA from pluto');
  t.equal(gwSa.remoteId, 'client.example');
  t.equal(gwSa.encrAlg, 'AES_GCM_16');
  t.equal(gwSa.dhGroup, 'CURVE_25519');
  const down = await pluto.down('home');
  t.equal(down.code, 0, down.stdout + down.stderr);
  await charon.waitForLog(/IKE_SA deleted|deleting IKE_SA/, 5000);
});

t.test('showstates parsing', async (t) => {
  const states = parseShowStates(`000 #1: "home":4500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA); REKEY in 27917s; REPLACE in 28457s; newest; idle;
000 #2: "home":4500 STATE_V2_ESTABLISHED_CHILD_SA (established Child SA); REKEY in 27917s; REPLACE in 28457s; IKE SA #1; idle;
000 #3: "road"[1] 192.0.2.5:500 STATE_V2_PARENT_I1 (sent IKE_SA_INIT request); RETRANSMIT in 1s; idle;
`);
  t.equal(states.length, 3);
  t.match(states[0], { serial: 1, conn: 'home', ike: true, established: true, rekeyIn: 27917, replaceIn: 28457 });
  t.match(states[1], { serial: 2, ike: false, established: true });
  t.match(states[2], { serial: 3, conn: 'road', ike: true, established: false, state: 'STATE_V2_PARENT_I1' });
  t.ok((await libreswanRoot()).includes('ikelb-libreswan'));
});
