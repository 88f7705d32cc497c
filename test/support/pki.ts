// Test certificates with the openssl CLI: a CA and end-entity certificates
// (RSA-2048/3072, ECDSA P-256/P-384) with FQDN, email and IP subjectAltNames, as PEM
// (certificate, PKCS#8 key), DER and PKCS#12 (empty password, for libreswan's NSS).
//
//   const pki = await makePki({
//     certs: [
//       { name: 'gw', dns: ['gw.example'], ip: ['192.0.2.2'] },
//       { name: 'client', keyType: 'rsa3072', email: ['client@example.com'] },
//     ],
//   });
//   pki.ca.cert                          // /tmp/ikelb-pki-cache/<hash>/ca.pem
//   pki.certs.gw?.cert / .key / .p12     // gw.pem, gw.key, gw.p12
//   startCharon(host, { files: charonFiles(pki, 'gw'), swanctl: certConnection({ cert: 'gw.pem', ... }) })
//
// Generated material is cached by the hash of the request under
// $TMPDIR/ikelb-pki-cache/<hash>/ (RSA-3072 keys take a while on a shared machine),
// written to a temporary folder and renamed into place so parallel test files never
// see half a PKI; a cached PKI older than a day is regenerated. End-entity certificates
// are valid for 30 days (the CA for 10 years); keys are test material, never secrets.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOk } from './run';

export type KeyType = 'rsa2048' | 'rsa3072' | 'ecdsa-p256' | 'ecdsa-p384';

export interface CertRequest {
  /** File stem (gw -> gw.pem, gw.key, gw.der, gw.p12) and the PKCS#12 friendly name. */
  readonly name: string;
  /** Subject CN; default the first DNS name, else the name. */
  readonly cn?: string;
  /** Default 'ecdsa-p256'. */
  readonly keyType?: KeyType;
  readonly dns?: readonly string[];
  readonly email?: readonly string[];
  readonly ip?: readonly string[];
}

export interface PkiOptions {
  /** Default 'ecdsa-p256'. */
  readonly caKeyType?: KeyType;
  /** Default 'ikelb test CA'. */
  readonly caCn?: string;
  readonly certs: readonly CertRequest[];
}

export interface IssuedCert {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key (unencrypted). */
  readonly key: string;
  readonly der: string;
  /** PKCS#12 with key, certificate and CA; empty password. */
  readonly p12: string;
  /** Subject DN as openssl prints it (RFC 2253 order). */
  readonly subject: string;
  readonly keyType: KeyType;
}

export interface Pki {
  readonly dir: string;
  readonly ca: { readonly cert: string; readonly key: string; readonly der: string; readonly subject: string };
  readonly certs: Readonly<Record<string, IssuedCert>>;
}

const CACHE_VERSION = 1;
const CACHE_MAX_AGE_MS = 24 * 3600 * 1000;
/** RFC 4945 §5.1.3.12: id-kp-ipsecIKE. */
const ID_KP_IPSEC_IKE = '1.3.6.1.5.5.7.3.17';

export async function makePki(options: PkiOptions): Promise<Pki> {
  const names = new Set<string>();
  for (const c of options.certs) {
    if (!/^[a-z0-9][a-z0-9_-]*$/i.test(c.name) || c.name === 'ca') throw new Error(`certificate name '${c.name}' is not a plain file stem`);
    if (names.has(c.name)) throw new Error(`certificate name '${c.name}' given twice`);
    names.add(c.name);
  }
  const hash = createHash('sha256').update(JSON.stringify({ v: CACHE_VERSION, ...options })).digest('hex').slice(0, 16);
  const root = path.join(tmpdir(), 'ikelb-pki-cache');
  const dir = path.join(root, hash);
  const done = path.join(dir, 'complete');
  if (!existsSync(done) || Date.now() - statSync(done).mtimeMs > CACHE_MAX_AGE_MS) {
    mkdirSync(root, { recursive: true });
    const work = mkdtempSync(path.join(root, `${hash}-tmp-`));
    try {
      await generate(work, options);
      writeFileSync(path.join(work, 'complete'), new Date().toISOString());
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(work, dir);
      } catch (err) {
        // Another test process won the race with an identical PKI: use theirs.
        if (!existsSync(done)) throw err;
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return describe(dir, options);
}

/** The files a charon needs for one identity: CA in x509ca/, certificate in x509/, key in private/. */
export function charonFiles(pki: Pki, name: string): Record<string, string> {
  const cert = pki.certs[name];
  if (cert === undefined) throw new Error(`the PKI has no certificate '${name}'`);
  return {
    'x509ca/ca.pem': pki.ca.cert,
    [`x509/${name}.pem`]: cert.cert,
    [`private/${name}.key`]: cert.key,
  };
}

function describe(dir: string, options: PkiOptions): Pki {
  const subjects = JSON.parse(readFileSync(path.join(dir, 'subjects.json'), 'utf8')) as Record<string, string>;
  const certs: Record<string, IssuedCert> = {};
  for (const c of options.certs) {
    certs[c.name] = {
      cert: path.join(dir, `${c.name}.pem`),
      key: path.join(dir, `${c.name}.key`),
      der: path.join(dir, `${c.name}.der`),
      p12: path.join(dir, `${c.name}.p12`),
      subject: subjects[c.name] ?? '',
      keyType: c.keyType ?? 'ecdsa-p256',
    };
  }
  return {
    dir,
    ca: { cert: path.join(dir, 'ca.pem'), key: path.join(dir, 'ca.key'), der: path.join(dir, 'ca.der'), subject: subjects.ca ?? '' },
    certs,
  };
}

function keyArgs(type: KeyType): string[] {
  switch (type) {
    case 'rsa2048':
      return ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    case 'rsa3072':
      return ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'];
    case 'ecdsa-p256':
      return ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-pkeyopt', 'ec_param_enc:named_curve'];
    case 'ecdsa-p384':
      return ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-pkeyopt', 'ec_param_enc:named_curve'];
  }
}

function digest(type: KeyType): string {
  return type === 'ecdsa-p384' ? '-sha384' : '-sha256';
}

async function generate(dir: string, options: PkiOptions): Promise<void> {
  const o = (file: string): string => path.join(dir, file);
  // Our own config, so the system's openssl.cnf defaults never leak in.
  writeFileSync(o('openssl.cnf'), '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
  const env = { ...process.env, OPENSSL_CONF: o('openssl.cnf') };
  const ssl = (args: string[]): Promise<unknown> => runOk('openssl', args, { env, timeoutMs: 120_000 });
  const subjects: Record<string, string> = {};

  const caType = options.caKeyType ?? 'ecdsa-p256';
  await ssl(['genpkey', ...keyArgs(caType), '-out', o('ca.key')]);
  await ssl([
    'req', '-x509', '-new', '-key', o('ca.key'), '-subj', `/O=ikelb test/CN=${options.caCn ?? 'ikelb test CA'}`,
    digest(caType), '-days', '3650',
    '-addext', 'basicConstraints = critical, CA:TRUE',
    '-addext', 'keyUsage = critical, keyCertSign, cRLSign',
    '-addext', 'subjectKeyIdentifier = hash',
    '-out', o('ca.pem'),
  ]);
  await ssl(['x509', '-in', o('ca.pem'), '-outform', 'DER', '-out', o('ca.der')]);
  subjects.ca = await subjectOf(o('ca.pem'), env);

  let serial = 1;
  for (const c of options.certs) {
    const type = c.keyType ?? 'ecdsa-p256';
    const cn = c.cn ?? c.dns?.[0] ?? c.name;
    await ssl(['genpkey', ...keyArgs(type), '-out', o(`${c.name}.key`)]);
    await ssl(['req', '-new', '-key', o(`${c.name}.key`), '-subj', `/O=ikelb test/CN=${cn}`, '-out', o(`${c.name}.csr`)]);
    const sans = [...(c.dns ?? []).map((d) => `DNS:${d}`), ...(c.email ?? []).map((e) => `email:${e}`), ...(c.ip ?? []).map((i) => `IP:${i}`)];
    const ext = [
      'basicConstraints = critical, CA:FALSE',
      `keyUsage = critical, ${type.startsWith('rsa') ? 'digitalSignature, keyEncipherment' : 'digitalSignature'}`,
      `extendedKeyUsage = serverAuth, clientAuth, ${ID_KP_IPSEC_IKE}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ...(sans.length > 0 ? [`subjectAltName = ${sans.join(', ')}`] : []),
    ];
    writeFileSync(o(`${c.name}.ext`), ext.join('\n') + '\n');
    serial += 1;
    await ssl([
      'x509', '-req', '-in', o(`${c.name}.csr`), '-CA', o('ca.pem'), '-CAkey', o('ca.key'), '-set_serial', String(serial),
      digest(type), '-days', '30', '-extfile', o(`${c.name}.ext`), '-out', o(`${c.name}.pem`),
    ]);
    await ssl(['x509', '-in', o(`${c.name}.pem`), '-outform', 'DER', '-out', o(`${c.name}.der`)]);
    await ssl([
      'pkcs12', '-export', '-in', o(`${c.name}.pem`), '-inkey', o(`${c.name}.key`), '-certfile', o('ca.pem'),
      '-name', c.name, '-passout', 'pass:', '-out', o(`${c.name}.p12`),
    ]);
    subjects[c.name] = await subjectOf(o(`${c.name}.pem`), env);
  }
  writeFileSync(o('subjects.json'), JSON.stringify(subjects));
}

async function subjectOf(pem: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await runOk('openssl', ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253'], { env });
  return stdout.trim().replace(/^subject=\s*/, '');
}
