// This gateway's own report: what a subordinate sends in LOAD and what the
// primary puts in its own row. Sessions come from the gateway's SA table
// (a callback); system load from /proc (SystemLoadSampler) or a test's figures.
import type { LoadMessage } from './messages';
import type { ClusterOptions } from './options';
import { cryptoLoad, type LoadSample } from './system-load';

export interface LocalLoadSources {
  /** Established sessions (IKE SAs) on this gateway now. */
  readonly sessions: () => number;
  /** A fresh CPU/memory sample. */
  readonly system: () => LoadSample;
  /** True while this gateway is leaving the cluster. */
  readonly draining?: () => boolean;
}

export interface LocalLoad {
  sample(): LoadMessage;
}

export function localLoad(options: Pick<ClusterOptions, 'maxSession' | 'priority'>, sources: LocalLoadSources): LocalLoad {
  return {
    sample(): LoadMessage {
      const sessions = Math.max(0, Math.floor(sources.sessions()));
      const system = sources.system();
      return {
        sessions,
        maxSession: options.maxSession,
        cryptoLoad: cryptoLoad(sessions, options.maxSession),
        systemLoad: system.systemLoad,
        cpuLoad: system.cpuLoad,
        memoryLoad: system.memoryLoad,
        priority: options.priority,
        draining: sources.draining?.() ?? false,
      };
    },
  };
}
