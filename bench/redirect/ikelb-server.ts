// ikelb's contestant in bench/redirect: a real daemon (lib/daemon) running the
// real data-plane component (lib/net/dataplane-component.ts) with its control
// socket, configured like `crypto ikev2 redirect gateway init` plus a static
// target list. Prints "ready" once serving. SIGUSR2 prints one JSON line with
// the process's memory (RSS, V8 heap): the orchestrator samples it before and
// after a load run to show the heap stays flat. --busy-ms N keeps the JS
// thread busy N ms out of every 25 ms (an IKE gateway at work) to measure the
// fast path's independence from the event loop.
//   node --import=<tap's TS loader> bench/redirect/ikelb-server.ts '{"address":"127.0.0.1","port":5501,...}'
import { getHeapStatistics } from 'node:v8';
import { Daemon } from '../../lib/daemon/daemon';
import { createLogger } from '../../lib/log';
import { DataplaneComponent } from '../../lib/net/dataplane-component';

interface ServerOptions {
  readonly address: string;
  readonly port: number;
  readonly targets: readonly string[];
  readonly controlPath: string;
  readonly mode?: 'thread' | 'event-loop';
  readonly cookieChallenge?: number | null;
  readonly busyMs?: number;
  readonly ioThreadNice?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
const log = createLogger('ikelb-bench', { level: 'warn' });
const dataplane = new DataplaneComponent({
  listen: [{ address: options.address, port: options.port }],
  mode: options.mode ?? 'thread',
  ...(options.ioThreadNice !== undefined ? { ioThreadNice: options.ioThreadNice } : {}),
  redirectInit: true,
  cookieChallenge: options.cookieChallenge ?? null,
  staticTargets: options.targets.map((address) => ({ address, capacity: 10_000 })),
  log,
});
const daemon = new Daemon({ components: [dataplane], controlPath: options.controlPath, log });

function memory(): Record<string, number> {
  const m = process.memoryUsage();
  const h = getHeapStatistics();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, mallocedMemory: h.malloced_memory };
}

process.on('SIGUSR2', () => {
  process.stdout.write(`memory ${JSON.stringify(memory())}\n`);
});

if ((options.busyMs ?? 0) > 0) {
  setInterval(() => {
    const end = Date.now() + (options.busyMs ?? 0);
    while (Date.now() < end) {
      // stands in for IKE_AUTH work on the JS thread
    }
  }, 25);
}

void (async () => {
  await daemon.start();
  process.stdout.write(`ready ${JSON.stringify({ sockets: dataplane.engine.sockets, pid: process.pid })}\n`);
  await daemon.runUntilSignalled();
  process.exit(0);
})();
