// A part of a running ikelb daemon (HSRP speaker, CLB primary/subordinate,
// IKE gateway, UDP engine, ...). The daemon starts components in order and
// stops them in reverse, so a component may rely on the ones started before it.
import type { ControlServer } from '../control/server';

export interface Component {
  /** Short name used in logs ("hsrp", "clb", "ike", ...). */
  readonly name: string;
  /** Acquires sockets, timers and kernel state; rejects if it cannot. */
  start(): Promise<void>;
  /**
   * Releases everything start() acquired. Called once, also after a failed
   * start of a later component; must not throw. `reason` is 'signal' on
   * SIGTERM/SIGINT, so a component can say goodbye (HSRP Resign) first.
   */
  stop(reason: 'signal' | 'error' | 'shutdown'): Promise<void>;
  /** Registers the show/clear commands this component answers. */
  registerCommands?(control: ControlServer): void;
}
