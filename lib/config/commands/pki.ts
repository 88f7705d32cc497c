// `crypto pki trustpoint NAME`. IOS enrols certificates over SCEP or by
// pasting; a Linux gateway has them as files, so ikelb adds file commands
// (extensions): `certificate file`, `private-key file`, `ca-certificate file`,
// `crl file`. validate.ts checks each file exists, is readable and holds what
// it should, naming the line.
import { command, type CommandSpec, unsupported } from '../command';
import { at, type TrustpointDraft } from '../draft';
import { oneOf, rest, seq, val } from '../syntax';
import { filePath, name, text } from '../values';

export const pkiCommands: CommandSpec[] = [
  command({
    mode: 'global',
    syntax: seq('crypto', 'pki', 'trustpoint', val('name', name(), 'trustpoint name')),
    opens: { mode: 'pki-trustpoint', scratch: (): TrustpointDraft => ({ name: '', line: 0, caCertificateFiles: [] }) },
    run(ctx, args) {
      const trustpointName = args.get<string>('name');
      let trustpoint = ctx.state.trustpoints.get(trustpointName);
      if (trustpoint === undefined) {
        trustpoint = { name: trustpointName, line: ctx.line, caCertificateFiles: [] };
        ctx.state.trustpoints.set(trustpointName, trustpoint);
      }
      ctx.enter('pki-trustpoint', trustpoint);
    },
  }),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('certificate', 'file', val('path', filePath, 'certificate file')),
    run(ctx, args) {
      ctx.state.certificateFile = at(args.get<string>('path'), ctx.line);
    },
  }),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('private-key', 'file', val('path', filePath, 'private key file')),
    run(ctx, args) {
      ctx.state.privateKeyFile = at(args.get<string>('path'), ctx.line);
    },
  }),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('ca-certificate', 'file', val('path', filePath, 'CA certificate file')),
    run(ctx, args) {
      ctx.state.caCertificateFiles.push(at(args.get<string>('path'), ctx.line));
    },
  }),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('crl', 'file', val('path', filePath, 'CRL file')),
    run(ctx, args) {
      ctx.state.crlFile = at(args.get<string>('path'), ctx.line);
    },
  }),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('revocation-check', oneOf('check', ['none', 'crl'])),
    run(ctx, args) {
      ctx.state.revocationCheck = at(args.get<'none' | 'crl'>('check'), ctx.line);
    },
  }),
  unsupported('pki-trustpoint', ['revocation-check', 'ocsp'], 'revocation-check ocsp', 'use crl with a crl file'),
  command({
    mode: 'pki-trustpoint',
    syntax: seq('subject-name', rest('subject', text(512), 'subject name')),
    run(ctx, args) {
      ctx.state.subjectName = at(args.get<string>('subject'), ctx.line);
    },
  }),
  unsupported('pki-trustpoint', ['enrollment'], 'enrollment', 'give the certificate and key as files: certificate file PATH, private-key file PATH'),
  unsupported('global', ['crypto', 'pki', 'certificate'], 'crypto pki certificate', 'give certificates as files in a trustpoint (certificate file PATH, ca-certificate file PATH)'),
];
