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

export interface Pki {
  readonly dir: string;
  /** Root CA (RSA 2048), intermediate CA (EC P-384), leaf (EC P-256) and an RSA leaf signed by the root. */
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly leafPem: string;
  readonly leafKeyPem: string;
  readonly rsaLeafPem: string;
  readonly rsaLeafKeyPem: string;
  /** A leaf issued by a certificate without CA:TRUE. */
  readonly badIssuerLeafPem: string;
  readonly notCaPem: string;
}

/** Builds a small PKI with the openssl CLI (RFC 5280 profile, SANs for every ID type). */
export function makePki(dir: string): Pki {
  const w = (name: string, text: string): void => writeFileSync(path.join(dir, name), text);
  const r = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
  w(
    'ext.cnf',
    [
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
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
  o(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30',
    '-subj', '/C=ZZ/O=ikelb test/CN=ikelb test root', '-extensions', 'ca', '-config', 'ext.cnf', '-sha256']);
  o(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'int.key']);
  o(['req', '-new', '-key', 'int.key', '-out', 'int.csr', '-subj', '/C=ZZ/O=ikelb test/CN=ikelb test intermediate', '-config', 'ext.cnf']);
  o(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem',
    '-days', '20', '-extfile', 'ext.cnf', '-extensions', 'ca', '-sha256']);
  o(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key']);
  o(['req', '-new', '-key', 'leaf.key', '-out', 'leaf.csr', '-subj', '/C=ZZ/O=ikelb test/CN=gw.example.com', '-config', 'ext.cnf']);
  o(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem',
    '-days', '10', '-extfile', 'ext.cnf', '-extensions', 'leaf', '-sha384']);
  o(['genrsa', '-traditional', '-out', 'rsaleaf.key', '2048']);
  o(['req', '-new', '-key', 'rsaleaf.key', '-out', 'rsaleaf.csr', '-subj', '/C=ZZ/O=ikelb test/CN=rsa.example.com', '-config', 'ext.cnf']);
  o(['x509', '-req', '-in', 'rsaleaf.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'rsaleaf.pem',
    '-days', '10', '-extfile', 'ext.cnf', '-extensions', 'leaf', '-sha256']);
  o(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'notca.key']);
  o(['req', '-new', '-key', 'notca.key', '-out', 'notca.csr', '-subj', '/C=ZZ/O=ikelb test/CN=not a ca', '-config', 'ext.cnf']);
  o(['x509', '-req', '-in', 'notca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'notca.pem',
    '-days', '10', '-extfile', 'ext.cnf', '-extensions', 'notca', '-sha256']);
  o(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'bad.key']);
  o(['req', '-new', '-key', 'bad.key', '-out', 'bad.csr', '-subj', '/C=ZZ/O=ikelb test/CN=bad.example.com', '-config', 'ext.cnf']);
  o(['x509', '-req', '-in', 'bad.csr', '-CA', 'notca.pem', '-CAkey', 'notca.key', '-CAcreateserial', '-out', 'bad.pem',
    '-days', '10', '-extfile', 'ext.cnf', '-extensions', 'leaf', '-sha256']);
  return {
    dir,
    rootPem: r('root.pem'),
    intermediatePem: r('int.pem'),
    leafPem: r('leaf.pem'),
    leafKeyPem: r('leaf.key'),
    rsaLeafPem: r('rsaleaf.pem'),
    rsaLeafKeyPem: r('rsaleaf.key'),
    badIssuerLeafPem: r('bad.pem'),
    notCaPem: r('notca.pem'),
  };
}
