// Shared fixtures of the crypto tests: published vectors from
// test/vectors/crypto/ and keys/certificates made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const vectorDir = path.join(__dirname, '..', 'vectors', 'crypto');

export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(vectorDir, name), 'utf8')) as T;
}

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** A temporary folder removed at the end of the test. */
export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ikelb-crypto-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function openssl(args: readonly string[], cwd: string): string {
  return execFileSync('openssl', args as string[], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface ChainExtras {
  /** An intermediate CA (EC P-384) under the shared CA, and a leaf (EC P-256) under it, with SANs. */
  readonly intermediatePem: string;
  readonly leafPem: string;
  readonly leafKeyPem: string;
  /** A certificate without CA:TRUE, and a leaf it signed anyway. */
  readonly notCaPem: string;
  readonly badIssuerLeafPem: string;
}

/**
 * The chain shapes test/support/pki.ts does not make (it issues end-entity
 * certificates straight from its CA): an intermediate CA and a non-CA issuer,
 * both under that CA (its certificate and key paths are passed in).
 */
export function makeChainExtras(dir: string, caCert: string, caKey: string): ChainExtras {
  const r = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
  writeFileSync(
    path.join(dir, 'ext.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      '[dn]',
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      '[leaf]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'subjectAltName = DNS:gw.example.com, email:gw@example.com, IP:192.0.2.1, IP:2001:db8::1',
      '[notca]',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      '',
    ].join('\n'),
  );
  const o = (args: string[]): string => openssl(args, dir);
  const issue = (name: string, curve: string, cn: string, ca: string, key: string, ext: string, days: string): void => {
    o(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', `${name}.key`]);
    o(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=ikelb test/CN=${cn}`, '-config', 'ext.cnf']);
    o(['x509', '-req', '-in', `${name}.csr`, '-CA', ca, '-CAkey', key, '-CAcreateserial', '-out', `${name}.pem`,
      '-days', days, '-extfile', 'ext.cnf', '-extensions', ext, '-sha384']);
  };
  issue('int', 'P-384', 'ikelb test intermediate', caCert, caKey, 'ca', '20');
  issue('leaf', 'P-256', 'gw.example.com', 'int.pem', 'int.key', 'leaf', '10');
  issue('notca', 'P-256', 'not a ca', caCert, caKey, 'notca', '10');
  issue('bad', 'P-256', 'bad.example.com', 'notca.pem', 'notca.key', 'leaf', '10');
  return {
    intermediatePem: r('int.pem'),
    leafPem: r('leaf.pem'),
    leafKeyPem: r('leaf.key'),
    notCaPem: r('notca.pem'),
    badIssuerLeafPem: r('bad.pem'),
  };
}
