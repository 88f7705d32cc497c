// The daemon side of the control socket. Components register the commands
// they answer (`show standby`, `clear crypto ikev2 sa`, ...); the server picks
// the handler with the longest matching word prefix and passes the remaining
// words as arguments. The socket is created mode 0600: it can clear SAs.
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { IkelbError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { maxRequestBytes, type ControlRequest, type ControlResponse } from './protocol';

export interface CommandResult {
  readonly text: string;
  readonly data: unknown;
}

export type CommandHandler = (args: readonly string[]) => CommandResult | Promise<CommandResult>;

interface Registration {
  readonly words: readonly string[];
  readonly handler: CommandHandler;
}

export class ControlServer {
  private readonly registrations: Registration[] = [];
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly log: Logger = silentLogger) {
    this.server = net.createServer((socket) => this.serve(socket));
  }

  /** Registers the handler of a command given as words, e.g. ['show', 'standby']. */
  register(words: readonly string[], handler: CommandHandler): void {
    if (this.registrations.some((r) => r.words.join(' ') === words.join(' '))) {
      throw new Error(`control command '${words.join(' ')}' is registered twice`);
    }
    this.registrations.push({ words, handler });
  }

  /** Commands known to the server, for `?`-style help and error messages. */
  commands(): string[] {
    return this.registrations.map((r) => r.words.join(' ')).sort();
  }

  async listen(socketPath: string): Promise<void> {
    mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
    if (existsSync(socketPath)) {
      if (await isAnswering(socketPath)) {
        throw new IkelbError('IKELB_ERR_CONTROL', `control socket ${socketPath} is in use by a running ikelb`);
      }
      unlinkSync(socketPath);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    chmodSync(socketPath, 0o600);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers one request; exported for in-process use and tests. */
  async execute(request: ControlRequest): Promise<ControlResponse> {
    const match = this.match(request.words);
    if (match === undefined) {
      return { ok: false, error: `% Invalid command '${request.words.join(' ')}'; known: ${this.commands().join(', ')}` };
    }
    try {
      const result = await match.handler(request.words.slice(match.words.length));
      return { ok: true, text: result.text, data: result.data };
    } catch (err) {
      this.log.warn({ err, command: request.words.join(' ') }, 'control command failed');
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private match(words: readonly string[]): Registration | undefined {
    let best: Registration | undefined;
    for (const r of this.registrations) {
      const prefix = r.words.every((w, i) => words[i] === w);
      if (prefix && (best === undefined || r.words.length > best.words.length)) best = r;
    }
    return best;
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > maxRequestBytes) {
        socket.end(`${JSON.stringify({ ok: false, error: 'request too long' })}\n`);
        return;
      }
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        void this.answer(socket, line);
        newline = buffered.indexOf('\n');
      }
    });
  }

  private async answer(socket: net.Socket, line: string): Promise<void> {
    let response: ControlResponse;
    const request = parseRequest(line);
    response = request === undefined ? { ok: false, error: 'malformed request' } : await this.execute(request);
    if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
  }
}

function parseRequest(line: string): ControlRequest | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const words = (value as { words?: unknown }).words;
    if (!Array.isArray(words) || !words.every((w): w is string => typeof w === 'string')) return undefined;
    return { words };
  } catch {
    return undefined;
  }
}

function isAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
