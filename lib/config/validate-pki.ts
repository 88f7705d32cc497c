// Trustpoint files are checked when the config is read, so a missing or wrong
// file is a config error naming its line, not a failure at the first IKE_AUTH:
// each file must exist, be readable and hold what its command says (a PEM
// certificate, a private key that matches the certificate, a CRL).
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ConfigDraft, TrustpointDraft } from './draft';
import type { Report } from './validate';

export interface TrustpointFacts {
  readonly certificateFile: string | null;
  readonly privateKeyFile: string | null;
  readonly privateKeyType: 'rsa' | 'ec' | 'ed25519' | null;
  readonly caCertificateFiles: readonly string[];
  readonly crlFile: string | null;
  /** The certificate and the key are readable and belong together. */
  readonly canSign: boolean;
  /** At least one readable CA certificate. */
  readonly canVerify: boolean;
}

function readFile(report: Report, what: string, file: string, line: number): Buffer | undefined {
  try {
    const data = readFileSync(file);
    if (data.length === 0) {
      report('error', line, `${what} ${file} is empty`);
      return undefined;
    }
    return data;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`;
    report('error', line, `${what} ${file} ${reason}`);
    return undefined;
  }
}

function certificateIn(report: Report, what: string, file: string, line: number): X509Certificate | undefined {
  const data = readFile(report, what, file, line);
  if (data === undefined) return undefined;
  try {
    return new X509Certificate(data);
  } catch {
    report('error', line, `${what} ${file} does not hold a PEM or DER X.509 certificate`);
    return undefined;
  }
}

function keyIn(report: Report, file: string, line: number): KeyObject | undefined {
  const data = readFile(report, 'private key file', file, line);
  if (data === undefined) return undefined;
  try {
    const key = createPrivateKey(data);
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) {
      report('warning', line, `private key file ${file} is readable by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
    }
    return key;
  } catch {
    report('error', line, `private key file ${file} does not hold an unencrypted PEM or DER private key`);
    return undefined;
  }
}

function inspectTrustpoint(trustpoint: TrustpointDraft, report: Report, baseDir: string): TrustpointFacts {
  const absolute = (p: string): string => path.resolve(baseDir, p);
  let certificate: X509Certificate | undefined;
  let key: KeyObject | undefined;
  let privateKeyType: TrustpointFacts['privateKeyType'] = null;
  if (trustpoint.certificateFile !== undefined) {
    certificate = certificateIn(report, 'certificate file', absolute(trustpoint.certificateFile.value), trustpoint.certificateFile.line);
  }
  if (trustpoint.privateKeyFile !== undefined) {
    key = keyIn(report, absolute(trustpoint.privateKeyFile.value), trustpoint.privateKeyFile.line);
    const type = key?.asymmetricKeyType;
    if (type === 'rsa' || type === 'rsa-pss') privateKeyType = 'rsa';
    else if (type === 'ec') privateKeyType = 'ec';
    else if (type === 'ed25519') privateKeyType = 'ed25519';
    else if (key !== undefined) report('error', trustpoint.privateKeyFile.line, `private key type ${type ?? 'unknown'} is not supported (RSA, ECDSA or Ed25519)`);
  }
  let canSign = false;
  if (certificate !== undefined && key !== undefined) {
    if (certificate.checkPrivateKey(key)) canSign = true;
    else report('error', trustpoint.privateKeyFile?.line ?? trustpoint.line, `the private key does not belong to the certificate of trustpoint ${trustpoint.name}`);
  } else if (trustpoint.certificateFile !== undefined && trustpoint.privateKeyFile === undefined) {
    report('error', trustpoint.certificateFile.line, `trustpoint ${trustpoint.name} has a certificate but no 'private-key file PATH'`);
  } else if (trustpoint.privateKeyFile !== undefined && trustpoint.certificateFile === undefined) {
    report('error', trustpoint.privateKeyFile.line, `trustpoint ${trustpoint.name} has a private key but no 'certificate file PATH'`);
  }
  let canVerify = false;
  for (const ca of trustpoint.caCertificateFiles) {
    if (certificateIn(report, 'CA certificate file', absolute(ca.value), ca.line) !== undefined) canVerify = true;
  }
  if (trustpoint.crlFile !== undefined) {
    const data = readFile(report, 'CRL file', absolute(trustpoint.crlFile.value), trustpoint.crlFile.line);
    if (data !== undefined && !data.includes('-----BEGIN X509 CRL-----')) {
      report('error', trustpoint.crlFile.line, `CRL file ${absolute(trustpoint.crlFile.value)} does not hold a PEM CRL (-----BEGIN X509 CRL-----)`);
    }
  }
  if (trustpoint.revocationCheck?.value === 'crl' && trustpoint.crlFile === undefined) {
    report('error', trustpoint.revocationCheck.line, "revocation-check crl needs 'crl file PATH': ikelb does not fetch CRLs from distribution points");
  }
  return {
    certificateFile: trustpoint.certificateFile === undefined ? null : absolute(trustpoint.certificateFile.value),
    privateKeyFile: trustpoint.privateKeyFile === undefined ? null : absolute(trustpoint.privateKeyFile.value),
    privateKeyType,
    caCertificateFiles: trustpoint.caCertificateFiles.map((c) => absolute(c.value)),
    crlFile: trustpoint.crlFile === undefined ? null : absolute(trustpoint.crlFile.value),
    canSign,
    canVerify,
  };
}

export function inspectTrustpoints(draft: ConfigDraft, report: Report, baseDir: string): Map<string, TrustpointFacts> {
  const facts = new Map<string, TrustpointFacts>();
  for (const trustpoint of draft.trustpoints.values()) facts.set(trustpoint.name, inspectTrustpoint(trustpoint, report, baseDir));
  return facts;
}
