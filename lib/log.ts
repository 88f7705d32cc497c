// Structured logging (pino). Components take a child logger with their own
// `component` field; SPIs and peer addresses go in fields, never secrets: the
// redact list below is the last line of defence, not the first.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names that never reach a log line, wherever they appear. */
const secretPaths = [
  'psk',
  'key',
  'secret',
  'password',
  'keyString',
  'sharedSecret',
  '*.psk',
  '*.key',
  '*.secret',
  '*.password',
  '*.keyString',
  '*.sharedSecret',
];

export interface LogOptions {
  readonly level?: string;
  /** Where lines go; defaults to stderr so stdout stays for command output. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(name: string, options: LogOptions = {}): Logger {
  return pino(
    {
      name,
      level: options.level ?? process.env.IKELB_LOG_LEVEL ?? 'info',
      redact: { paths: secretPaths, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: for tests and library use without logging. */
export const silentLogger: Logger = pino({ level: 'silent' });
