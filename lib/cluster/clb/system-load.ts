// This gateway's load as CLB reports it, sampled at each update:
//   CPU %     busy share of all CPU time between two samples (/proc/stat deltas;
//             idle and iowait count as not busy);
//   memory %  1 - MemAvailable / MemTotal (/proc/meminfo): page cache the
//             kernel can drop is not load;
//   system %  the higher of the two: whichever runs out first limits the
//             sessions a gateway can take (a host with idle CPUs and no free
//             memory is full);
//   crypto %  sessions / max-session * 100.
import { readFileSync } from 'node:fs';

export interface LoadSample {
  readonly cpuLoad: number;
  readonly memoryLoad: number;
  readonly systemLoad: number;
}

/** Reads a /proc file; injected so parsing is tested on fixed text. */
export type ProcReader = (path: '/proc/stat' | '/proc/meminfo') => string;

const readProc: ProcReader = (path) => readFileSync(path, 'utf8');

interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** The aggregate `cpu` line of /proc/stat; undefined if absent or malformed. */
export function parseCpuTimes(stat: string): CpuTimes | undefined {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f) || f < 0)) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice]; guest
  // time is already inside user/nice, so it is not added again.
  const counted = fields.slice(0, 8);
  const total = counted.reduce((a, b) => a + b, 0);
  const idle = (counted[3] ?? 0) + (counted[4] ?? 0);
  return { busy: total - idle, total };
}

/** Memory in use, percent; undefined if the fields are missing. */
export function parseMemoryLoad(meminfo: string): number | undefined {
  const field = (name: string): number | undefined => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(meminfo);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const total = field('MemTotal');
  const available = field('MemAvailable');
  if (total === undefined || available === undefined || total === 0) return undefined;
  return clampPercent((1 - available / total) * 100);
}

export function cryptoLoad(sessions: number, maxSession: number): number {
  return clampPercent((sessions / maxSession) * 100);
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

export class SystemLoadSampler {
  private previous: CpuTimes | undefined;
  private lastCpu = 0;

  constructor(private readonly read: ProcReader = readProc) {
    this.previous = this.cpuTimes();
  }

  /** A new sample; CPU % covers the time since the previous sample (or since construction). */
  sample(): LoadSample {
    const now = this.cpuTimes();
    if (now !== undefined && this.previous !== undefined && now.total > this.previous.total) {
      this.lastCpu = clampPercent(((now.busy - this.previous.busy) / (now.total - this.previous.total)) * 100);
    }
    // Too short an interval (no tick elapsed) repeats the last CPU figure.
    if (now !== undefined) this.previous = now;
    const memoryLoad = this.memory() ?? 0;
    return { cpuLoad: this.lastCpu, memoryLoad, systemLoad: Math.max(this.lastCpu, memoryLoad) };
  }

  private cpuTimes(): CpuTimes | undefined {
    try {
      return parseCpuTimes(this.read('/proc/stat'));
    } catch {
      return undefined;
    }
  }

  private memory(): number | undefined {
    try {
      return parseMemoryLoad(this.read('/proc/meminfo'));
    } catch {
      return undefined;
    }
  }
}
