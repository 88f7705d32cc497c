import { readFileSync } from 'node:fs';
import { type Diagnostic, formatDiagnostic, parseConfig } from '../config';
import { IkelbError } from '../errors';
import type { Command } from './command';

interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly config?: unknown;
}

function checkFile(file: string): FileReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { file, ok: false, errors: [{ severity: 'error', file, line: 0, text: '', message: `cannot read the file (${code})` }], warnings: [] };
  }
  const result = parseConfig(text, file);
  return result.ok
    ? { file, ok: true, errors: [], warnings: result.warnings, config: result.config }
    : { file, ok: false, errors: result.errors, warnings: result.warnings };
}

// Secrets in the config are Secret objects: JSON.stringify prints their mask,
// so --json can show the whole resolved config safely.
export const checkConfigCommand: Command = {
  summary: 'check IOS config files: every error with file:line, or OK',
  usage: 'ikelb check-config [--json] FILE...',
  async run({ args, stdout, stderr }) {
    const json = args.includes('--json');
    const files = args.filter((a) => a !== '--json');
    const unknown = files.find((f) => f.startsWith('-') && f !== '-');
    if (unknown !== undefined) throw new IkelbError('IKELB_ERR_USAGE', `unknown option '${unknown}'\nusage: ${checkConfigCommand.usage}`);
    if (files.length === 0) throw new IkelbError('IKELB_ERR_USAGE', `no config file given\nusage: ${checkConfigCommand.usage}`);

    const reports = files.map(checkFile);
    if (json) {
      const out = reports.length === 1 ? reports[0] : reports;
      stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      for (const report of reports) {
        for (const d of [...report.errors, ...report.warnings].sort((a, b) => a.line - b.line)) stderr.write(`${formatDiagnostic(d)}\n`);
        if (report.ok) stdout.write(`${report.file}: OK\n`);
        else stderr.write(`${report.file}: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}\n`);
      }
    }
    return reports.every((r) => r.ok) ? 0 : 1;
  },
};
