// The CLI side of the control socket: one request, one answer.
import net from 'node:net';
import { IkelbError } from '../errors';
import type { ControlResponse } from './protocol';

export function queryControl(socketPath: string, words: readonly string[], timeoutMs = 10_000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new IkelbError('IKELB_ERR_CONTROL', `no answer from ${socketPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ words })}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      socket.end();
      try {
        resolve(JSON.parse(buffered.slice(0, newline)) as ControlResponse);
      } catch (err) {
        reject(new IkelbError('IKELB_ERR_CONTROL', `malformed answer from ${socketPath}`, { cause: err }));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(new IkelbError('IKELB_ERR_CONTROL', `cannot reach ikelb at ${socketPath}: ${err.message} (is the daemon running? see --control)`, { cause: err }));
    });
  });
}
