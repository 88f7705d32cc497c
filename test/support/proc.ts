// A long-running child process owned by a test: its output is captured so a
// test can wait for a line (waitForOutput), and it is stopped by its own PID
// (SIGTERM, then SIGKILL after a grace period) — never by name, because other
// tests run the same programs at the same time.
//
//   const p = startProc('charon', 'ip', ['netns', 'exec', ns, '/usr/lib/ipsec/charon']);
//   await p.waitForOutput(/charon .* starting/, 5000);
//   const mark = p.mark();                       // only look at output after this point
//   await p.waitForOutput(/IKE_SA .* established/, 5000, mark);
//   await p.stop();                               // SIGTERM, SIGKILL after 3 s
//
// Usually created through Host.spawn() in netns.ts, which also stops it when the
// lab is torn down.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ProcOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Appends everything the process writes (stdout and stderr) to this file as well. */
  readonly logFile?: string;
  /** Written to stdin, which is then closed. Default: stdin is /dev/null. */
  readonly input?: string | Buffer;
}

/** Output kept in memory per process; older output is dropped beyond this (offsets stay valid). */
const MAX_KEPT_OUTPUT = 8 * 1024 * 1024;

export class Proc {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  #child: ChildProcess;
  #status: ExitStatus | undefined;
  #stdout = '';
  #stderr = '';
  // Interleaved stdout + stderr, with the absolute offset of its first character.
  #output = '';
  #dropped = 0;
  #waiters = new Set<() => void>();

  constructor(name: string, file: string, args: readonly string[], options: ProcOptions = {}) {
    this.name = name;
    this.#child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (this.#child.pid === undefined) {
      // spawn() reports ENOENT asynchronously, but pid is undefined right away.
      this.#child.on('error', () => undefined);
      throw new Error(`cannot start ${name}: ${file} did not spawn`);
    }
    this.pid = this.#child.pid;
    const logFile = options.logFile;
    const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (stream === 'stdout') this.#stdout = keepTail(this.#stdout + text);
      else this.#stderr = keepTail(this.#stderr + text);
      this.#output += text;
      if (this.#output.length > MAX_KEPT_OUTPUT) {
        const cut = this.#output.length - MAX_KEPT_OUTPUT;
        this.#output = this.#output.slice(cut);
        this.#dropped += cut;
      }
      if (logFile !== undefined) appendFileSync(logFile, text);
      this.#notify();
    };
    this.#child.stdout?.on('data', onData('stdout'));
    this.#child.stderr?.on('data', onData('stderr'));
    if (options.input !== undefined) this.#child.stdin?.end(options.input);
    this.exited = new Promise((resolve) => {
      this.#child.on('error', (err) => {
        this.#output += `\n[${name}: ${err.message}]\n`;
        this.#status ??= { code: null, signal: null };
        this.#notify();
        resolve(this.#status);
      });
      this.#child.on('close', (code, signal) => {
        this.#status = { code, signal };
        this.#notify();
        resolve(this.#status);
      });
    });
  }

  /** undefined while running. */
  get exitStatus(): ExitStatus | undefined {
    return this.#status;
  }

  get running(): boolean {
    return this.#status === undefined;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** stdout and stderr interleaved in arrival order. */
  get output(): string {
    return this.#output;
  }

  /** An offset into the output; pass it to waitForOutput to ignore what came before. */
  mark(): number {
    return this.#dropped + this.#output.length;
  }

  /** The last `lines` lines of output, for failure messages. */
  tail(lines = 40): string {
    return this.#output.split('\n').slice(-lines - 1).join('\n');
  }

  /**
   * Resolves with the first match of `pattern` in the output written at or after
   * `since` (see mark()); rejects after `timeoutMs`, or as soon as the process
   * exits without a match, with the output's tail in the message.
   */
  waitForOutput(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<RegExpMatchArray> {
    const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    return this.waitUntil(
      () => this.#output.slice(Math.max(0, since - this.#dropped)).match(re) ?? undefined,
      timeoutMs,
      `print ${re}`,
    );
  }

  /**
   * Resolves with the first non-undefined result of `check`, which is evaluated now and
   * after every chunk of output; rejects after `timeoutMs` or when the process exits
   * first. `what` completes the error message ("did not <what> within ...").
   */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        let value: T | undefined;
        try {
          value = check();
        } catch (err) {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
          return true;
        }
        if (value !== undefined) {
          done();
          resolve(value);
          return true;
        }
        if (this.#status !== undefined) {
          done();
          reject(new Error(`${this.name} (pid ${this.pid}) exited ${describe(this.#status)} before it did ${what}; last output:\n${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} (pid ${this.pid}) did not ${what} within ${timeoutMs} ms; last output:\n${this.tail()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter = (): void => {
        attempt();
      };
      if (!attempt()) this.#waiters.add(waiter);
    });
  }

  /** Sends a signal to this PID only (no-op once exited). */
  signal(sig: NodeJS.Signals): void {
    if (this.#status === undefined) {
      try {
        process.kill(this.pid, sig);
      } catch {
        // already gone
      }
    }
  }

  /** kill -9: does not wait; await `exited` if needed. */
  kill(): void {
    this.signal('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has exited. */
  async stop(graceMs = 3000): Promise<ExitStatus> {
    if (this.#status !== undefined) return this.#status;
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);
    if (first === 'timeout') this.kill();
    return this.exited;
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

export function describe(status: ExitStatus): string {
  return status.signal !== null ? `on ${status.signal}` : `with code ${status.code}`;
}

function keepTail(text: string): string {
  return text.length > MAX_KEPT_OUTPUT ? text.slice(text.length - MAX_KEPT_OUTPUT) : text;
}

/** Starts a process outside any namespace (inside one: Host.spawn in netns.ts). */
export function startProc(name: string, file: string, args: readonly string[], options: ProcOptions = {}): Proc {
  return new Proc(name, file, args, options);
}
