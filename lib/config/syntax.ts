// Command syntax as data, and the matcher that reads a line against it.
//
// A command's syntax is a small tree: keywords, typed values, sequences,
// optional parts, alternatives and repeats. The matcher runs every possible
// reading of the line in parallel, token by token (an NFA simulation), which
// gives IOS's abbreviation rule for free and correctly: at each position it
// gathers the keywords that ANY live reading accepts there, and a token
// selects a keyword if it equals one or is a prefix of exactly one. A prefix
// of several is an "ambiguous" error, as in IOS (`standby 1 p` could be
// preempt or priority). A token that selects a keyword is never read as a
// free value at that position; quote it ("domain") to force a value.
import type { Token } from './lexer';
import { SECRET_MASK } from './secret';
import type { ValueType } from './values';

export type Node =
  | { readonly kind: 'kw'; readonly word: string }
  | { readonly kind: 'value'; readonly name: string; readonly label: string; readonly type: ValueType<unknown>; readonly multi: boolean }
  | { readonly kind: 'rest'; readonly name: string; readonly label: string; readonly type: ValueType<unknown> }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'opt'; readonly item: Node }
  | { readonly kind: 'choice'; readonly alts: readonly Node[] }
  | { readonly kind: 'repeat'; readonly item: Node; readonly min: number }
  | { readonly kind: 'set'; readonly name: string; readonly value: unknown; readonly multi: boolean };

// ---------------------------------------------------------------- builders

type Part = Node | string;

const toNode = (part: Part): Node => (typeof part === 'string' ? kw(part) : part);

/** A literal keyword (lower case; matched case-insensitively, abbreviations allowed). */
export function kw(word: string): Node {
  return { kind: 'kw', word: word.toLowerCase() };
}

/** Parts in order; strings are keywords. */
export function seq(...parts: Part[]): Node {
  return parts.length === 1 ? toNode(parts[0] as Part) : { kind: 'seq', items: parts.map(toNode) };
}

/** The parts, or nothing. */
export function opt(...parts: Part[]): Node {
  return { kind: 'opt', item: seq(...parts) };
}

/** Exactly one of the alternatives. */
export function choice(...alts: Part[]): Node {
  return { kind: 'choice', alts: alts.map(toNode) };
}

/** A typed value bound to `name`; `label` names it in messages ("priority must be 0-255"). */
export function val<T>(name: string, type: ValueType<T>, label: string = name): Node {
  return { kind: 'value', name, label, type: type as ValueType<unknown>, multi: false };
}

/** The rest of the line, raw (quotes kept as written), as one value. */
export function rest<T>(name: string, type: ValueType<T>, label: string = name): Node {
  return { kind: 'rest', name, label, type: type as ValueType<unknown> };
}

/** Binds `name` to `value` when this point of the syntax is reached. */
export function set(name: string, value: unknown = true): Node {
  return { kind: 'set', name, value, multi: false };
}

/** A keyword that records itself: `flag('secondary')` binds secondary=true. */
export function flag(word: string, name: string = word): Node {
  return seq(kw(word), set(name, true));
}

/** One of the keywords, bound to `name` as the full keyword. */
export function oneOf(name: string, words: readonly string[]): Node {
  return choice(...words.map((w) => seq(kw(w), set(name, w.toLowerCase()))));
}

/** The node one or more times. */
export function some(node: Node): Node {
  return { kind: 'repeat', item: node, min: 1 };
}

/** One or more values, collected into an array bound to `name`. */
export function listOf<T>(name: string, type: ValueType<T>, label: string = name): Node {
  return { kind: 'repeat', item: { kind: 'value', name, label, type: type as ValueType<unknown>, multi: true }, min: 1 };
}

/** One or more of the keywords, collected in order into an array bound to `name`. */
export function keywordList(name: string, words: readonly string[]): Node {
  const item = choice(...words.map((w) => seq(kw(w), { kind: 'set', name, value: w.toLowerCase(), multi: true } as Node)));
  return { kind: 'repeat', item, min: 1 };
}

/** The leading keywords of a syntax (for listing commands and "did you mean"). */
export function leadingKeywords(node: Node): string[] {
  switch (node.kind) {
    case 'kw':
      return [node.word];
    case 'seq': {
      const out: string[] = [];
      for (const item of node.items) {
        if (item.kind === 'kw') out.push(item.word);
        else if (item.kind === 'set') continue;
        else break;
      }
      return out;
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------- matcher

export type Bindings = Readonly<Record<string, unknown>>;

export type MatchResult =
  | { readonly ok: true; readonly bindings: Bindings; readonly secretTokens: ReadonlySet<number> }
  | {
      readonly ok: false;
      readonly message: string;
      /** Index of the token at fault (tokens.length when the line ended too early). */
      readonly position: number;
      /** True when not even the first token selected anything: an unknown command for this grammar. */
      readonly unknownFirstWord: boolean;
      readonly secretTokens: ReadonlySet<number>;
    };

type Stack = { readonly node: Node; readonly next: Stack } | null;

interface State {
  readonly stack: Stack;
  readonly bindings: Bindings;
}

/** A state whose next step consumes a token (head) or that is complete (head null). */
interface Frontier {
  readonly head: Extract<Node, { kind: 'kw' | 'value' | 'rest' }> | null;
  readonly next: Stack;
  readonly bindings: Bindings;
}

function bind(bindings: Bindings, name: string, value: unknown, multi: boolean): Bindings {
  if (!multi) return { ...bindings, [name]: value };
  const previous = bindings[name];
  return { ...bindings, [name]: Array.isArray(previous) ? [...(previous as unknown[]), value] : [value] };
}

function push(node: Node, next: Stack): Stack {
  return { node, next };
}

function expand(state: State, out: Frontier[], depth = 0): void {
  if (depth > 200) throw new Error('config grammar: runaway expansion (a repeat of something that matches nothing?)');
  const { stack, bindings } = state;
  if (stack === null) {
    out.push({ head: null, next: null, bindings });
    return;
  }
  const { node, next } = stack;
  switch (node.kind) {
    case 'kw':
    case 'value':
    case 'rest':
      out.push({ head: node, next, bindings });
      return;
    case 'seq': {
      let s = next;
      for (let i = node.items.length - 1; i >= 0; i--) s = push(node.items[i] as Node, s);
      expand({ stack: s, bindings }, out, depth + 1);
      return;
    }
    case 'opt':
      expand({ stack: push(node.item, next), bindings }, out, depth + 1);
      expand({ stack: next, bindings }, out, depth + 1);
      return;
    case 'choice':
      for (const alt of node.alts) expand({ stack: push(alt, next), bindings }, out, depth + 1);
      return;
    case 'repeat': {
      const again: Node = { kind: 'repeat', item: node.item, min: Math.max(0, node.min - 1) };
      expand({ stack: push(node.item, push(again, next)), bindings }, out, depth + 1);
      if (node.min === 0) expand({ stack: next, bindings }, out, depth + 1);
      return;
    }
    case 'set':
      expand({ stack: next, bindings: bind(bindings, node.name, node.value, node.multi) }, out, depth + 1);
      return;
  }
}

function describeHead(head: NonNullable<Frontier['head']>): string {
  if (head.kind === 'kw') return head.word;
  return `${head.label} ${head.type.placeholder}`;
}

function expectedList(frontier: readonly Frontier[]): string {
  const items: string[] = [];
  let canEnd = false;
  for (const f of frontier) {
    if (f.head === null) canEnd = true;
    else {
      const d = describeHead(f.head);
      if (!items.includes(d)) items.push(d);
    }
  }
  if (canEnd) items.push('end of line');
  if (items.length === 0) return 'nothing more';
  return items.length === 1 ? (items[0] as string) : `one of: ${items.join(', ')}`;
}

/** Resolves a token against the keywords live at this position (IOS abbreviation rule). */
function resolveKeyword(token: Token, keywords: readonly string[]): { word?: string; ambiguous?: string[] } {
  if (token.quoted) return {};
  const lower = token.text.toLowerCase();
  if (keywords.includes(lower)) return { word: lower };
  const candidates = keywords.filter((k) => k.startsWith(lower));
  if (candidates.length === 1) return { word: candidates[0] as string };
  if (candidates.length > 1) return { ambiguous: candidates };
  return {};
}

/**
 * Matches a line's tokens against a syntax. `lineText` is the raw line, for `rest` values.
 * With `shapeOnly`, every value accepts any token: used on a line that failed, to find
 * which of its tokens sit where a secret goes (and must be masked) even past the error.
 */
export function match(root: Node, tokens: readonly Token[], lineText: string, shapeOnly = false): MatchResult {
  let states: State[] = [{ stack: push(root, null), bindings: {} }];
  const secretTokens = new Set<number>();
  const restDone: Bindings[] = [];
  const fail = (message: string, position: number, unknownFirstWord = false): MatchResult => ({
    ok: false,
    message,
    position,
    unknownFirstWord,
    secretTokens,
  });

  for (let pos = 0; ; pos++) {
    const frontier: Frontier[] = [];
    for (const state of states) expand(state, frontier);

    if (pos === tokens.length) {
      const done = frontier.find((f) => f.head === null);
      if (done !== undefined) return { ok: true, bindings: done.bindings, secretTokens };
      if (restDone[0] !== undefined) return { ok: true, bindings: restDone[0], secretTokens };
      return fail(`incomplete command: expected ${expectedList(frontier)}`, pos);
    }

    const token = tokens[pos] as Token;
    const keywords = [...new Set(frontier.flatMap((f) => (f.head?.kind === 'kw' ? [f.head.word] : [])))];
    const resolved = resolveKeyword(token, keywords);
    const next: State[] = [];
    let valueFailure: string | undefined;

    for (const f of frontier) {
      const head = f.head;
      if (head === null) continue;
      if (head.kind === 'kw') {
        if (resolved.word === head.word) next.push({ stack: f.next, bindings: f.bindings });
        continue;
      }
      if (resolved.word !== undefined || resolved.ambiguous !== undefined) continue;
      if (head.type.secret === true) {
        for (let i = pos; i < (head.kind === 'rest' ? tokens.length : pos + 1); i++) secretTokens.add(i);
      }
      if (head.kind === 'rest') {
        const raw = lineText.slice(token.start).trimEnd();
        const parsed = shapeOnly ? { ok: true as const, value: raw } : head.type.parse(raw);
        if (parsed.ok) {
          const tail: Frontier[] = [];
          expand({ stack: f.next, bindings: bind(f.bindings, head.name, parsed.value, false) }, tail);
          const end = tail.find((t) => t.head === null);
          if (end !== undefined) restDone.push(end.bindings);
        } else valueFailure ??= `${head.label} ${parsed.reason}`;
        continue;
      }
      const parsed = shapeOnly ? { ok: true as const, value: token.text } : head.type.parse(token.text);
      if (parsed.ok) next.push({ stack: f.next, bindings: bind(f.bindings, head.name, parsed.value, head.multi) });
      else valueFailure ??= `${head.label} ${parsed.reason}`;
    }

    if (next.length === 0) {
      if (restDone[0] !== undefined) return { ok: true, bindings: restDone[0], secretTokens };
      // A token after a secret may be the rest of a key written with spaces: never echo it.
      const shown = [...secretTokens].some((i) => i <= pos) ? SECRET_MASK : token.text;
      if (resolved.ambiguous !== undefined) {
        return fail(`ambiguous abbreviation '${shown}': could be ${resolved.ambiguous.join(', ')}`, pos);
      }
      if (valueFailure !== undefined) return fail(valueFailure, pos);
      const onlyEnd = frontier.every((f) => f.head === null);
      if (onlyEnd) return fail(`unexpected '${shown}': the command is complete before it`, pos);
      return fail(`unexpected '${shown}': expected ${expectedList(frontier)}`, pos, pos === 0 && resolved.word === undefined);
    }
    states = next;
  }
}
