// Trustpoint files are checked when the config is read: a missing, unreadable
// or wrong file is an error on its line, not a failure at the first IKE_AUTH.
// Certificates are made with the openssl CLI in a private temp directory.
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseConfig } from '../../lib/config';
import { formatDiagnostic } from '../../lib/config/diagnostics';
import { runOk } from '../support/run';

const dir = mkdtempSync(path.join(tmpdir(), `ikelb-pki-${process.pid}-`));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const openssl = (...args: string[]) => runOk('openssl', args, { cwd: dir });

t.before(async () => {
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=ikelb test CA', '-days', '2');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'gw.key', '-out', 'gw.csr', '-subj', '/CN=gw.example.com');
  await openssl('x509', '-req', '-in', 'gw.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'gw.pem', '-days', '2');
  await openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ec.key', '-out', 'ec.pem', '-subj', '/CN=ec.example.com', '-days', '2');
  for (const key of ['ca.key', 'gw.key', 'ec.key']) chmodSync(path.join(dir, key), 0o600);
  writeFileSync(path.join(dir, 'not-a-cert.pem'), 'hello\n');
  writeFileSync(path.join(dir, 'empty.crl'), '');
});

const profile = (...lines: string[]): string[] => [
  'crypto ikev2 profile certs',
  ' match identity remote fqdn domain example.com',
  ' identity local dn',
  ' pki trustpoint tp',
  ...lines.map((l) => ` ${l}`),
];

function parse(lines: string[]) {
  const file = path.join(dir, 'gw.conf');
  return parseConfig(`${lines.join('\n')}\n`, file);
}

t.test('a trustpoint with relative file paths resolves them next to the config and feeds rsa-sig', async (t) => {
  const result = parse([
    'crypto pki trustpoint tp',
    ' certificate file gw.pem',
    ` private-key file ${path.join(dir, 'gw.key')}`,
    ' ca-certificate file ca.pem',
    ' revocation-check none',
    ' subject-name CN=gw.example.com, O=ikelb',
    ...profile('authentication local rsa-sig', 'authentication remote rsa-sig'),
  ]);
  if (!result.ok) t.fail(result.errors.map(formatDiagnostic).join('\n'));
  t.same(result.warnings, []);
  if (!result.ok) return;
  const tp = result.config.pki.trustpoints[0];
  t.same(
    [tp?.certificateFile, tp?.privateKeyFile, tp?.privateKeyType, tp?.caCertificateFiles, tp?.revocationCheck, tp?.subjectName],
    [path.join(dir, 'gw.pem'), path.join(dir, 'gw.key'), 'rsa', [path.join(dir, 'ca.pem')], 'none', 'CN=gw.example.com, O=ikelb'],
  );
  const p = result.config.ikev2.profiles[0];
  t.equal(p?.trustpoints[0]?.trustpoint, tp);
  t.same([p?.authenticationLocal, p?.authenticationRemote, p?.identityLocal], [{ method: 'rsa-sig' }, [{ method: 'rsa-sig' }], { type: 'dn' }]);
});

t.test('an ECDSA key feeds ecdsa-sig', async (t) => {
  const result = parse(['crypto pki trustpoint tp', ' certificate file ec.pem', ' private-key file ec.key', ' ca-certificate file ca.pem', ...profile('authentication local ecdsa-sig', 'authentication remote rsa-sig')]);
  t.same(result.ok ? [] : result.errors.map(formatDiagnostic), []);
  if (result.ok) t.equal(result.config.pki.trustpoints[0]?.privateKeyType, 'ec');
});

const fileErrors: { name: string; lines: string[]; error: string }[] = [
  {
    name: 'a missing certificate file',
    lines: ['crypto pki trustpoint tp', ' certificate file missing.pem', ' private-key file gw.key'],
    error: `gw.conf:2: 'certificate file missing.pem': certificate file ${path.join(dir, 'missing.pem')} does not exist`,
  },
  {
    name: 'a file that is not a certificate',
    lines: ['crypto pki trustpoint tp', ' ca-certificate file not-a-cert.pem'],
    error: `gw.conf:2: 'ca-certificate file not-a-cert.pem': CA certificate file ${path.join(dir, 'not-a-cert.pem')} does not hold a PEM or DER X.509 certificate`,
  },
  {
    name: 'a certificate given as the private key',
    lines: ['crypto pki trustpoint tp', ' certificate file gw.pem', ' private-key file gw.pem'],
    error: `gw.conf:3: 'private-key file gw.pem': private key file ${path.join(dir, 'gw.pem')} does not hold an unencrypted PEM or DER private key`,
  },
  {
    name: 'a key that does not belong to the certificate',
    lines: ['crypto pki trustpoint tp', ' certificate file gw.pem', ' private-key file ca.key'],
    error: "gw.conf:3: 'private-key file ca.key': the private key does not belong to the certificate of trustpoint tp",
  },
  {
    name: 'a directory instead of a file',
    lines: ['crypto pki trustpoint tp', ` ca-certificate file ${dir}`],
    error: `gw.conf:2: 'ca-certificate file ${dir}': CA certificate file ${dir} is a directory`,
  },
  {
    name: 'revocation-check crl without a CRL file',
    lines: ['crypto pki trustpoint tp', ' ca-certificate file ca.pem', ' revocation-check crl'],
    error: "gw.conf:3: 'revocation-check crl': revocation-check crl needs 'crl file PATH': ikelb does not fetch CRLs from distribution points",
  },
  {
    name: 'an empty CRL file',
    lines: ['crypto pki trustpoint tp', ' ca-certificate file ca.pem', ' crl file empty.crl'],
    error: `gw.conf:3: 'crl file empty.crl': CRL file ${path.join(dir, 'empty.crl')} is empty`,
  },
  {
    name: 'ecdsa-sig with an RSA key',
    lines: ['crypto pki trustpoint tp', ' certificate file gw.pem', ' private-key file gw.key', ...profile('authentication local ecdsa-sig', 'authentication remote pre-share key k')],
    error: "gw.conf:8: 'authentication local ecdsa-sig': authentication local ecdsa-sig needs a trustpoint with a certificate and a matching ECDSA private key",
  },
  {
    name: 'a profile naming an unknown trustpoint',
    lines: profile('authentication local pre-share key a', 'authentication remote pre-share key b'),
    error: "gw.conf:4: 'pki trustpoint tp': no trustpoint is named 'tp' (no trustpoint is configured)",
  },
  {
    name: 'enrollment is refused with the file alternative',
    lines: ['crypto pki trustpoint tp', ' enrollment url http://ca.example.com'],
    error: "gw.conf:2: 'enrollment url http://ca.example.com': 'enrollment' is not supported by ikelb: give the certificate and key as files: certificate file PATH, private-key file PATH",
  },
];

for (const row of fileErrors) {
  t.test(`${row.name} is an error on its line`, async (t) => {
    const result = parse(row.lines);
    const errors = result.ok ? [] : result.errors.map(formatDiagnostic).map((e) => e.replace(`${path.join(dir, 'gw.conf')}:`, 'gw.conf:'));
    t.ok(errors.includes(row.error), `expected\n  ${row.error}\namong\n  ${errors.join('\n  ')}`);
  });
}

t.test('a private key readable by other users is a warning', async (t) => {
  copyFileSync(path.join(dir, 'gw.key'), path.join(dir, 'open.key'));
  chmodSync(path.join(dir, 'open.key'), 0o644);
  const result = parse(['crypto pki trustpoint tp', ' certificate file gw.pem', ' private-key file open.key']);
  t.equal(result.ok, true);
  t.match(result.warnings.map(formatDiagnostic).join('\n'), /private key file .*open\.key is readable by other users \(mode 644\): chmod 600 it/);
});
