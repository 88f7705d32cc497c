// Helpers for the config tests: parse text and fail the test with every
// diagnostic when the result is not what the test expects.
import type { Test } from 'tap';
import { formatDiagnostic, type IkelbConfig, parseConfig } from '../../lib/config';

/** Parses text that must be valid; returns the config (the test fails listing the errors otherwise). */
export function parseOk(t: Test, text: string, file = 'test.conf'): IkelbConfig {
  const result = parseConfig(text, file);
  if (!result.ok) {
    t.fail(`expected no errors, got:\n${result.errors.map(formatDiagnostic).join('\n')}`);
    throw new Error('config did not parse');
  }
  return result.config;
}

/** Formatted errors of text that must be invalid (empty when it parsed). */
export function errorsOf(text: string, file = 'bad.conf'): string[] {
  const result = parseConfig(text, file);
  return result.ok ? [] : result.errors.map(formatDiagnostic);
}

/** Formatted warnings of text (whether or not it has errors). */
export function warningsOf(text: string, file = 'test.conf'): string[] {
  return parseConfig(text, file).warnings.map(formatDiagnostic);
}

/** Lines joined with newlines, so tests can write configs as arrays. */
export const conf = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** A gateway config that is valid on its own; tests add lines to it. */
export const GATEWAY_BASE = conf(
  'hostname gw1',
  'interface eth0',
  ' ip address 192.0.2.11 255.255.255.0',
  ' standby version 2',
  ' standby 1 ip 192.0.2.10',
  ' standby 1 authentication md5 key-string cluster-secret',
  ' standby 1 name group1',
  'crypto ikev2 keyring clients',
  ' peer any',
  '  address 0.0.0.0 0.0.0.0',
  '  pre-shared-key s3cret-psk',
  'crypto ikev2 profile flexvpn',
  ' match identity remote any',
  ' authentication remote pre-share',
  ' authentication local pre-share',
  ' keyring local clients',
);
