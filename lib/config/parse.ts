// The config language's entry points: parseConfig() for text, and
// loadConfigFile() for a file, which throws one IkelbError listing every
// problem. Reading, validating and resolving are separate stages; the model
// is only built from a file without errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IkelbError } from '../errors';
import { type Diagnostic, formatDiagnostic } from './diagnostics';
import { deepFreeze } from './freeze';
import type { IkelbConfig } from './model';
import { readConfig } from './reader';
import { resolve } from './resolve';
import { validate } from './validate';

export type ParseResult =
  | { readonly ok: true; readonly config: IkelbConfig; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly errors: readonly Diagnostic[]; readonly warnings: readonly Diagnostic[] };

export interface ParseOptions {
  /** Directory that relative paths in the config (certificate files) are resolved against. Default: the directory of `fileName`. */
  readonly baseDir?: string;
}

/** Parses config text. `fileName` names the file in diagnostics and anchors relative paths. */
export function parseConfig(text: string, fileName: string, options: ParseOptions = {}): ParseResult {
  const read = readConfig(text, fileName);
  const diagnostics = [...read.diagnostics];
  const facts = validate(
    read.draft,
    (severity, line, message) => diagnostics.push({ severity, file: fileName, line, text: read.lineText(line), message }),
    { baseDir: options.baseDir ?? path.dirname(path.resolve(fileName)) },
  );
  diagnostics.sort((a, b) => a.line - b.line);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, config: deepFreeze(resolve(read.draft, fileName, facts)), warnings };
}

/** A config file with errors: `diagnostics` holds every one; the message lists them one per line. */
export class ConfigError extends IkelbError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(file: string, diagnostics: readonly Diagnostic[]) {
    const count = diagnostics.length;
    super('IKELB_ERR_CONFIG', `${file}: ${count} error${count === 1 ? '' : 's'}\n${diagnostics.map(formatDiagnostic).join('\n')}`);
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}

/** Reads and parses a config file; throws ConfigError (code IKELB_ERR_CONFIG) listing every error. */
export function loadConfigFile(file: string): { config: IkelbConfig; warnings: readonly Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(file, [{ severity: 'error', file, line: 0, text: '', message: `cannot read the file (${code})` }]);
  }
  const result = parseConfig(text, file);
  if (!result.ok) throw new ConfigError(file, result.errors);
  return { config: result.config, warnings: result.warnings };
}
