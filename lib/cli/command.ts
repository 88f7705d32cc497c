/** What a CLI command gets: its own arguments and the streams to write to. */
export interface CommandContext {
  readonly args: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface Command {
  /** One line for `ikelb help`. */
  readonly summary: string;
  /** Usage text printed on a usage error. */
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}
