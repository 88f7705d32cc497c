// Runs components: start in order, stop in reverse (also when a start fails),
// serve their commands on the control socket, and shut down cleanly on
// SIGTERM/SIGINT.
import { ControlServer } from '../control/server';
import type { Logger } from '../log';
import type { Component } from './component';

export interface DaemonOptions {
  readonly components: readonly Component[];
  readonly controlPath: string;
  readonly log: Logger;
}

export class Daemon {
  private readonly control: ControlServer;
  private readonly started: Component[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: DaemonOptions) {
    this.control = new ControlServer(options.log.child({ component: 'control' }));
    for (const component of options.components) component.registerCommands?.(this.control);
  }

  async start(): Promise<void> {
    try {
      for (const component of this.options.components) {
        await component.start();
        this.started.push(component);
        this.options.log.info({ component: component.name }, 'started');
      }
      await this.control.listen(this.options.controlPath);
    } catch (err) {
      this.options.log.error({ err }, 'start failed; stopping what was started');
      await this.stop('error');
      throw err;
    }
  }

  /** Stops every started component in reverse order; idempotent. */
  stop(reason: 'signal' | 'error' | 'shutdown'): Promise<void> {
    this.stopping ??= (async () => {
      await this.control.close().catch(() => undefined);
      for (const component of this.started.reverse()) {
        try {
          await component.stop(reason);
          this.options.log.info({ component: component.name }, 'stopped');
        } catch (err) {
          this.options.log.error({ err, component: component.name }, 'stop failed');
        }
      }
    })();
    return this.stopping;
  }

  /** Resolves when a signal has stopped the daemon. */
  runUntilSignalled(): Promise<void> {
    return new Promise((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        this.options.log.info({ signal }, 'shutting down');
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        void this.stop('signal').then(resolve);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
  }
}
