// One ikelb daemon (`ikelb gateway|client --config FILE`) run by the demo as
// a child process: its JSON log goes to a file, its control socket to the
// demo's scratch directory, and the demo talks to it only through that
// socket — exactly what a user's `ikelb show ...` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { queryControl } from '../control/client';

/** The CLI's entry script next to this file (dist/cli/main.js, or lib/cli/main.ts under a TS loader). */
export function cliScript(): string {
  return path.join(__dirname, '..', 'cli', `main${path.extname(__filename)}`);
}

export class DaemonProcess {
  readonly control: string;
  readonly logFile: string;
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private running = true;

  constructor(
    readonly name: string,
    role: 'gateway' | 'client',
    readonly config: string,
    dir: string,
    tag = '',
  ) {
    this.control = path.join(dir, `${name}${tag}.sock`);
    this.logFile = path.join(dir, `${name}${tag}.log`);
    const log = openSync(this.logFile, 'a');
    try {
      // The same node and loader flags as this process, so it also runs from TypeScript sources.
      this.child = spawn(process.execPath, [...process.execArgv, cliScript(), role, '--config', config, '--control', this.control, '--log-level', 'info'], {
        stdio: ['ignore', log, log],
        env: process.env,
      });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.running = false;
        resolve(code);
      });
      this.child.once('error', () => {
        this.running = false;
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** `ikelb show|clear ... --json` against this daemon; undefined while it does not answer. */
  async query<T>(...words: string[]): Promise<{ text: string; data: T } | undefined> {
    if (!this.running) return undefined;
    try {
      const r = await queryControl(this.control, words, 3000);
      return r.ok ? { text: r.text, data: r.data as T } : undefined;
    } catch {
      return undefined;
    }
  }

  /** kill -9: what a crash looks like to the rest of the cluster. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** SIGTERM (HSRP resigns, IKE SAs get a Delete), SIGKILL after graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
