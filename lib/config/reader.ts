// Reads a config file line by line into a draft, tracking modes.
//
// Modes follow IOS with indentation made meaningful:
// - An indented line belongs to the innermost open block whose opening line
//   is less indented, and must be a command of that block's mode (so a
//   command in the wrong block is an error that says where it belongs).
// - A line at column 0 is read as IOS reads a pasted config: tried in the
//   innermost open mode first, then in each enclosing mode up to global, and
//   it closes the modes it passed. So unindented configs work too.
// - `exit` leaves a mode, `end` stops reading; `!` lines are comments.
// Every problem is collected; reading never stops at the first error.
import { Args, type CommandContext } from './command';
import type { Diagnostic, Severity } from './diagnostics';
import { type ConfigDraft, emptyDraft } from './draft';
import { COMMANDS, grammarOf, NEGATED, SPEC_INDEX, specAt } from './grammar';
import { lex, type SourceLine } from './lexer';
import { explainUnmatched, heuristicSecrets } from './explain';
import type { ModeName } from './modes';
import { SECRET_MASK } from './secret';
import { leadingKeywords, match, type MatchResult } from './syntax';

interface Frame {
  /** null: an unknown block; its indented lines are skipped without further errors. */
  readonly mode: ModeName | null;
  readonly indent: number;
  readonly state: unknown;
}

export interface ReadResult {
  readonly draft: ConfigDraft;
  readonly diagnostics: Diagnostic[];
  /** The text of a line as diagnostics show it (trimmed, secrets masked). */
  lineText(line: number): string;
}

function maskedText(line: SourceLine, secretTokens: ReadonlySet<number>): string {
  let text = line.raw;
  const tokens = [...line.tokens.entries()].filter(([i]) => secretTokens.has(i)).reverse();
  for (const [, token] of tokens) text = text.slice(0, token.start) + SECRET_MASK + text.slice(token.end);
  return text.trim();
}

/** Whether the line's first tokens spell (or abbreviate) the given keywords. */
function startsWithKeywords(line: SourceLine, words: readonly string[]): boolean {
  if (words.length === 0 || line.tokens.length < words.length) return false;
  return words.every((word, i) => {
    const token = line.tokens[i];
    return token !== undefined && !token.quoted && token.text.length > 0 && word.startsWith(token.text.toLowerCase());
  });
}

export function readConfig(text: string, file: string): ReadResult {
  const draft = emptyDraft();
  const diagnostics: Diagnostic[] = [];
  const lineTexts = new Map<number, string>();
  const stack: Frame[] = [{ mode: 'global', indent: -1, state: draft }];
  let ended = false;
  let warnedAfterEnd = false;

  const report = (severity: Severity, line: number, message: string): void => {
    diagnostics.push({ severity, file, line, text: lineTexts.get(line) ?? '', message });
  };

  for (const line of lex(text)) {
    if (ended) {
      lineTexts.set(line.number, maskedText(line, heuristicSecrets(line)));
      if (!warnedAfterEnd) report('warning', line.number, "ignored: it comes after 'end' (so does everything below it)");
      warnedAfterEnd = true;
      continue;
    }
    if (line.lexError !== undefined) {
      lineTexts.set(line.number, maskedText(line, heuristicSecrets(line)));
      report('error', line.number, line.lexError);
      continue;
    }

    // Which frames may take this line, innermost first.
    let candidates: number[];
    if (line.indent > 0) {
      while (stack.length > 1 && (stack[stack.length - 1] as Frame).indent >= line.indent) stack.pop();
      const top = stack.length - 1;
      if (top === 0) {
        lineTexts.set(line.number, maskedText(line, heuristicSecrets(line)));
        report('error', line.number, 'this line is indented, but no block (interface, crypto ...) is open above it');
        continue;
      }
      if ((stack[top] as Frame).mode === null) continue; // inside a block that was already reported
      candidates = [top];
    } else {
      candidates = [];
      for (let i = stack.length - 1; i >= 0; i--) if ((stack[i] as Frame).mode !== null) candidates.push(i);
    }

    const failures: { frame: number; result: Extract<MatchResult, { ok: false }> }[] = [];
    let chosen: { frame: number; result: Extract<MatchResult, { ok: true }> } | undefined;
    for (const frame of candidates) {
      const result = match(grammarOf((stack[frame] as Frame).mode as ModeName).root, line.tokens, line.raw);
      if (result.ok) {
        chosen = { frame, result };
        break;
      }
      failures.push({ frame, result });
    }

    if (chosen !== undefined) {
      const { frame, result } = chosen;
      lineTexts.set(line.number, maskedText(line, result.secretTokens));
      stack.length = frame + 1;
      const spec = specAt(result.bindings[SPEC_INDEX] as number);
      const current = stack[frame] as Frame;
      const ctx: CommandContext<ModeName> = {
        draft,
        state: current.state as never,
        line: line.number,
        error: (message) => report('error', line.number, message),
        warn: (message) => report('warning', line.number, message),
        enter: (mode, state) => {
          stack.push({ mode, indent: line.indent, state });
        },
        exitMode: () => {
          if (frame === 0) report('warning', line.number, "'exit' at the top level: no block is open, nothing to leave");
          else stack.length = frame;
        },
        endConfig: () => {
          ended = true;
        },
      };
      const args = new Args(result.bindings);
      if (result.bindings[NEGATED] === true) spec.no?.run(ctx, args);
      else spec.run(ctx, args);
      continue;
    }

    // No mode took the line: say why, masking what may be secret.
    const modes = candidates.map((c) => (stack[c] as Frame).mode as ModeName);
    const { message, secretTokens } = explainUnmatched(line, modes, failures.map((f) => f.result));
    lineTexts.set(line.number, maskedText(line, secretTokens));
    report('error', line.number, message);

    // Keep the structure: a failed block opener still opens its (throw-away) block so its lines are checked.
    let opened = false;
    for (const frame of candidates) {
      const mode = (stack[frame] as Frame).mode as ModeName;
      const opener = findOpener(mode, line);
      if (opener !== undefined) {
        stack.length = frame + 1;
        stack.push({ mode: opener.mode, indent: line.indent, state: opener.scratch() });
        opened = true;
        break;
      }
    }
    if (!opened) {
      if (line.indent === 0) stack.length = 1;
      stack.push({ mode: null, indent: line.indent, state: null });
    }
  }

  return { draft, diagnostics, lineText: (n) => lineTexts.get(n) ?? '' };
}

function findOpener(mode: ModeName, line: SourceLine): { mode: ModeName; scratch: () => unknown } | undefined {
  const openers = OPENERS.get(mode) ?? [];
  return openers.find((o) => startsWithKeywords(line, o.words));
}

// Block-opening commands by the mode they are typed in, longest keyword path first.
const OPENERS = new Map<ModeName, { words: string[]; mode: ModeName; scratch: () => unknown }[]>();
for (const spec of COMMANDS) {
  if (spec.opens === undefined) continue;
  const list = OPENERS.get(spec.mode) ?? [];
  list.push({ words: leadingKeywords(spec.syntax), mode: spec.opens.mode, scratch: spec.opens.scratch });
  list.sort((a, b) => b.words.length - a.words.length);
  OPENERS.set(spec.mode, list);
}
