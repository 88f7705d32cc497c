// What one entry of the grammar table is: the mode it lives in, its syntax,
// what it does (and what its `no` form does). Adding a command is adding one
// CommandSpec to the table of its area under lib/config/commands/.
import type { ConfigDraft, ModeStates } from './draft';
import type { ModeName } from './modes';
import { type Bindings, type Node, opt, rest, seq } from './syntax';
import { text } from './values';

export interface CommandContext<M extends ModeName> {
  /** The whole config being built. */
  readonly draft: ConfigDraft;
  /** The object of the current mode (the interface, the proposal, ...). */
  readonly state: ModeStates[M];
  /** This command's line number. */
  readonly line: number;
  error(message: string): void;
  warn(message: string): void;
  /** Enter a submode: indented lines that follow act on `state`. */
  enter<N extends ModeName>(mode: N, state: ModeStates[N]): void;
  /** `exit`: leave the current submode. */
  exitMode(): void;
  /** `end`: stop reading the file. */
  endConfig(): void;
}

/** The values a matched line bound, by name. */
export class Args {
  constructor(private readonly bindings: Bindings) {}

  has(name: string): boolean {
    return this.bindings[name] !== undefined;
  }

  get<T>(name: string): T {
    const value = this.bindings[name];
    if (value === undefined) throw new Error(`config grammar: argument '${name}' was not bound`);
    return value as T;
  }

  opt<T>(name: string): T | undefined {
    return this.bindings[name] as T | undefined;
  }

  list<T>(name: string): T[] {
    const value = this.bindings[name];
    return Array.isArray(value) ? (value as T[]) : [];
  }
}

export interface CommandSpec<M extends ModeName = ModeName> {
  readonly mode: M;
  /** The syntax, starting with the command's keywords. */
  readonly syntax: Node;
  readonly run: (ctx: CommandContext<M>, args: Args) => void;
  /** The `no` form (syntax defaults to the command's keywords with anything after them optional). */
  readonly no?: { readonly syntax: Node; readonly run: (ctx: CommandContext<M>, args: Args) => void };
  /** The submode this command opens, with a throw-away state so a block whose opening line has an error is still checked line by line. */
  readonly opens?: { readonly mode: ModeName; readonly scratch: () => unknown };
}

/** Erases the mode parameter so specs of every mode fit in one table. */
export function command<M extends ModeName>(spec: CommandSpec<M>): CommandSpec {
  return spec as unknown as CommandSpec;
}

/** A `no` syntax: the keywords, then anything (IOS accepts the arguments of a `no` form and ignores them). */
export function noForm(...words: string[]): Node {
  return seq(...words, opt(rest('ignored', text(1024))));
}

/** Anything up to the end of the line (secret when it may hold keys). */
export function anything(secret = false): Node {
  return opt(rest('ignored', secret ? { ...text(1024), secret: true } : text(1024)));
}

/**
 * An IOS command ikelb knows but does not implement: parsing it gives a clear
 * error instead of "unknown command". `syntax` is its keywords (words, or a
 * node when they have optional parts); everything after them is accepted.
 */
export function unsupported(mode: ModeName, syntax: readonly string[] | Node, label: string, reason: string, secretArguments = false): CommandSpec {
  const head = Array.isArray(syntax) ? seq(...(syntax as string[])) : (syntax as Node);
  return command({
    mode,
    syntax: Array.isArray(syntax) ? seq(head, anything(secretArguments)) : head,
    run(ctx) {
      ctx.error(`'${label}' is not supported by ikelb: ${reason}`);
    },
  });
}
