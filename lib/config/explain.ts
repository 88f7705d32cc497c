// Why no mode took a line, in words an engineer can act on: the furthest
// point a known command got to, a command that belongs to another block, a
// missing 'no' form, or an unknown command with a "did you mean". Also which
// tokens to mask: wherever a secret goes, everything after it (a key written
// with spaces), and after key-like words on lines nothing understood.
import { closest } from './diagnostics';
import { grammarOf } from './grammar';
import type { SourceLine } from './lexer';
import { describeMode, MODE_NAMES, type ModeName } from './modes';
import { match, type MatchResult } from './syntax';

const SECRET_HINT = /key|secret|password|psk/i;

/** For lines no grammar understood: every token after one that looks like it introduces a key. */
export function heuristicSecrets(line: SourceLine): Set<number> {
  const secret = new Set<number>();
  let after = false;
  line.tokens.forEach((token, i) => {
    if (after) secret.add(i);
    else if (SECRET_HINT.test(token.text)) after = true;
  });
  return secret;
}

/**
 * `modes` are the modes the line was tried in, innermost first; `failures` their results.
 * Returns the message and the tokens to mask when the line is echoed.
 */
export function explainUnmatched(
  line: SourceLine,
  modes: readonly ModeName[],
  failures: readonly Extract<MatchResult, { ok: false }>[],
): { message: string; secretTokens: Set<number> } {
  const secretTokens = new Set<number>(failures.flatMap((f) => [...f.secretTokens]));
  // A shape-only match finds where secrets sit even past the argument that failed.
  for (const mode of modes) for (const i of match(grammarOf(mode).root, line.tokens, line.raw, true).secretTokens) secretTokens.add(i);
  const innermost = modes[0] ?? 'global';
  const first = line.tokens[0]?.text ?? '';
  let message: string;

  const negated = first.toLowerCase() === 'no' && line.tokens.length > 1 ? line.tokens.slice(1) : undefined;
  const known = failures.filter((f) => !f.unknownFirstWord);
  if (negated !== undefined && modes.some((m) => match(grammarOf(m).root, negated, line.raw).ok)) {
    message = "this command has no 'no' form in ikelb: a config file starts from the defaults, so leave the command out";
  } else if (known.length > 0) {
    message = known.reduce((a, b) => (b.position > a.position ? b : a)).message;
  } else {
    const elsewhere = MODE_NAMES.filter((m) => !modes.includes(m)).filter((m) => {
      const result = match(grammarOf(m).root, line.tokens, line.raw);
      for (const i of result.secretTokens) secretTokens.add(i);
      return result.ok;
    });
    if (elsewhere.length > 0) {
      message =
        elsewhere.includes('global') && line.indent > 0
          ? `this is a global command, not a command of ${describeMode(innermost)}: remove the indentation`
          : `'${first}' here is a command of ${elsewhere.map(describeMode).join(' or ')}, not of ${describeMode(innermost)}`;
    } else {
      const suggestion = closest(first, new Set(modes.flatMap((m) => grammarOf(m).firstWords)));
      const where = line.indent > 0 ? ` in ${describeMode(innermost)}` : '';
      message = `unknown command '${first}'${where}${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}`;
      for (const i of heuristicSecrets(line)) secretTokens.add(i);
    }
  }

  // Tokens after a secret may be the rest of a key written with spaces.
  const firstSecret = Math.min(...secretTokens);
  line.tokens.forEach((_, i) => {
    if (i > firstSecret) secretTokens.add(i);
  });
  return { message, secretTokens };
}
