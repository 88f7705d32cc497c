// Splits config text into lines of tokens. IOS rules, with two ikelb choices:
// - `!` starts a comment only as the first non-blank character of a line; a
//   `!` inside a line is data (descriptions, keys), as in IOS.
// - A token in double quotes may contain spaces and is never read as a
//   keyword ("domain" is the value domain, not the keyword); quotes have no
//   escapes and must close on the same line.
// Indentation is measured in columns (a tab advances to the next multiple of
// 8) and only compared, never counted in units.

export interface Token {
  /** The token's text without quotes. */
  readonly text: string;
  /** Written in double quotes: always a value, never a keyword. */
  readonly quoted: boolean;
  /** Offset of the token in the line (including its opening quote). */
  readonly start: number;
  /** Offset just past the token (past its closing quote). */
  readonly end: number;
}

export interface SourceLine {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line without its line terminator. */
  readonly raw: string;
  /** Leading whitespace in columns. */
  readonly indent: number;
  readonly tokens: readonly Token[];
  /** Why the line could not be tokenized (an unterminated quote), if it could not. */
  readonly lexError?: string;
}

const TAB_WIDTH = 8;

function indentOf(raw: string): number {
  let columns = 0;
  for (const ch of raw) {
    if (ch === ' ') columns += 1;
    else if (ch === '\t') columns += TAB_WIDTH - (columns % TAB_WIDTH);
    else break;
  }
  return columns;
}

function tokenize(raw: string): { tokens: Token[]; error?: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i];
    if (ch === ' ' || ch === '\t') {
      i += 1;
      continue;
    }
    if (ch === '"') {
      const close = raw.indexOf('"', i + 1);
      if (close < 0) return { tokens, error: 'a quoted value is not closed on this line (quotes have no escapes)' };
      tokens.push({ text: raw.slice(i + 1, close), quoted: true, start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < raw.length && raw[j] !== ' ' && raw[j] !== '\t') j += 1;
    tokens.push({ text: raw.slice(i, j), quoted: false, start: i, end: j });
    i = j;
  }
  return { tokens };
}

/** True for lines that carry no command: blank lines and `!` comments. */
export function isCommentOrBlank(raw: string): boolean {
  const trimmed = raw.trim();
  return trimmed === '' || trimmed.startsWith('!');
}

/** Every line of the text that carries a command, with its tokens. */
export function lex(text: string): SourceLine[] {
  const lines: SourceLine[] = [];
  const rawLines = text.split(/\r?\n/);
  rawLines.forEach((withCr, index) => {
    const raw = withCr.endsWith('\r') ? withCr.slice(0, -1) : withCr;
    if (isCommentOrBlank(raw)) return;
    const { tokens, error } = tokenize(raw);
    const line: SourceLine =
      error === undefined
        ? { number: index + 1, raw, indent: indentOf(raw), tokens }
        : { number: index + 1, raw, indent: indentOf(raw), tokens, lexError: error };
    lines.push(line);
  });
  return lines;
}
