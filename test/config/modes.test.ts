// How lines find their mode: indentation (show running-config style), IOS's
// paste rule for unindented lines, exit, end and comments.
import t from 'tap';
import { parseConfig } from '../../lib/config';
import { conf, errorsOf, parseOk, warningsOf } from './parse-helpers';

const indented = conf(
  '! a comment',
  'hostname gw1',
  '!',
  'interface eth0',
  ' description LAN',
  ' ip address 192.0.2.11 255.255.255.0',
  'crypto ikev2 keyring k',
  ' peer a',
  '  address 192.0.2.1',
  '  pre-shared-key abc',
  ' peer b',
  '  address 192.0.2.2',
  '  pre-shared-key def',
  'ip local pool p 10.0.0.1 10.0.0.9',
  'end',
);

t.test('an unindented config pasted IOS-style reads like the indented one', async (t) => {
  const flat = indented.replace(/^ +/gm, '');
  const a = parseOk(t, indented);
  const b = parseOk(t, flat);
  t.same(JSON.stringify({ ...b, file: '' }), JSON.stringify({ ...a, file: '' }));
  t.same(
    b.ikev2.keyrings[0]?.peers.map((p) => p.name),
    ['a', 'b'],
  );
});

t.test('exit leaves a block; IOS-style lines then go to the enclosing mode', async (t) => {
  const c = parseOk(
    t,
    conf('crypto ikev2 keyring k', 'peer a', 'address 192.0.2.1', 'pre-shared-key abc', 'exit', 'peer b', 'address 192.0.2.2', 'pre-shared-key def', 'exit', 'exit', 'hostname gw1'),
  );
  t.same(
    c.ikev2.keyrings[0]?.peers.map((p) => p.name),
    ['a', 'b'],
  );
  t.equal(c.hostname, 'gw1');
});

t.test('an indented exit leaves only its own block', async (t) => {
  const c = parseOk(t, conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key abc', '  exit', ' peer b', '  address 192.0.2.2', '  pre-shared-key def'));
  t.equal(c.ikev2.keyrings[0]?.peers.length, 2);
});

t.test('exit at the top level is a warning, not an error', async (t) => {
  t.same(warningsOf(conf('exit', 'hostname gw1')), ["test.conf:1: 'exit': warning: 'exit' at the top level: no block is open, nothing to leave"]);
});

t.test('a column-0 line a block does not know goes to the enclosing mode (ip local pool after an interface)', async (t) => {
  const c = parseOk(t, conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', 'ip local pool p 10.0.0.1'));
  t.equal(c.pools.ipv4[0]?.name, 'p');
});

t.test('end stops reading; anything after it is ignored with one warning', async (t) => {
  const result = parseConfig(conf('hostname gw1', 'end', 'hostname gw2', 'this is not even a command'), 'e.conf');
  t.equal(result.ok, true);
  if (result.ok) t.equal(result.config.hostname, 'gw1');
  t.same(
    result.warnings.map((w) => w.line),
    [3],
  );
});

t.test('comments: ! lines anywhere, blank lines, CRLF line ends, tab indentation', async (t) => {
  const c = parseOk(t, 'hostname gw1\r\n\r\n   ! indented comment\r\ninterface eth0\r\n\tip address 192.0.2.11 255.255.255.0\r\n\t! comment in a block\r\n\tdescription a ! b\r\n');
  t.equal(c.interfaces[0]?.ipv4?.address, '192.0.2.11');
  t.equal(c.interfaces[0]?.description, 'a ! b', '! inside a line is data, as in IOS');
});

t.test('re-entering a block adds to the same object, as IOS does', async (t) => {
  const c = parseOk(t, conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', 'interface eth0', ' description again'));
  t.equal(c.interfaces.length, 1);
  t.same([c.interfaces[0]?.ipv4?.address, c.interfaces[0]?.description], ['192.0.2.11', 'again']);
});

t.test('a deeper indentation stays in the same block', async (t) => {
  const c = parseOk(t, conf('interface eth0', ' ip address 192.0.2.11 255.255.255.0', '    description deep'));
  t.equal(c.interfaces[0]?.description, 'deep');
});

t.test('an indented line is not taken by an enclosing mode (it must belong to its block)', async (t) => {
  t.same(errorsOf(conf('crypto ikev2 keyring k', ' peer a', '  address 192.0.2.1', '  pre-shared-key abc', '  peer b')), [
    "bad.conf:5: 'peer b': 'peer' here is a command of crypto ikev2 keyring mode (config-ikev2-keyring), not of keyring peer mode (config-ikev2-keyring-peer)",
  ]);
});
