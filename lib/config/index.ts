// Public surface of the config language (see docs/CONFIG.md).
export { parseConfig, loadConfigFile, ConfigError, type ParseResult, type ParseOptions } from './parse';
export { formatDiagnostic, type Diagnostic, type Severity } from './diagnostics';
export { Secret, SECRET_MASK } from './secret';
export * from './model';
export * from './algorithms';
