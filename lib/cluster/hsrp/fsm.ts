// The HSRP state machine (RFC 2281 §6), pure: it takes decoded datagrams,
// link up/down and its own timers, and emits actions (send a Hello, Coup or
// Resign; become active and own the VIP; leave active and release it). It does
// no I/O and reads time only through the injected Timers.
//
// One function, transition(), performs every state change, logs `from -> to`
// and counts it. Events a..l and actions A..I are named as in RFC 2281 §6.3
// and §6.4. Where the RFC's table leaves a gap we say so next to the code.
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import type { DecodeResult, HsrpOpcode, HsrpState } from './hsrp-native';
import type { TimerHandle, Timers } from './timers';

export type { HsrpState } from './hsrp-native';

export interface FsmConfig {
  readonly group: number;
  readonly version: 1 | 2;
  /** 0..255 (RFC 2281 §5). */
  readonly priority: number;
  readonly preempt: boolean;
  /** Cisco `preempt delay minimum`: no Coup before this long after the group came up. */
  readonly preemptDelayMs: number;
  /** Configured timers; when absent they are learned from the active router (RFC 2281 §6.4 E). */
  readonly helloMs?: number | undefined;
  readonly holdMs?: number | undefined;
  /** Configured virtual IP; when absent it is learned from the active router. */
  readonly vip?: string | undefined;
  /** This router's address on the segment: the election tie-breaker and our own packets' source. */
  readonly localIp: string;
}

/** RFC 2281 §5 defaults: hello 3 s, hold 10 s. */
export const defaultHelloMs = 3000;
export const defaultHoldMs = 10000;

export type SendOpcode = Exclude<HsrpOpcode, 'Advertise'>;

export type FsmAction =
  | {
      readonly type: 'send';
      readonly opcode: SendOpcode;
      readonly state: HsrpState;
      readonly priority: number;
      readonly helloMs: number;
      readonly holdMs: number;
      readonly vip: string;
    }
  /** Entering Active: own the VIP and send gratuitous ARPs (RFC 2281 §6.4 I). */
  | { readonly type: 'become-active'; readonly vip: string }
  /** Leaving Active: release the VIP. */
  | { readonly type: 'leave-active'; readonly vip: string };

export interface Peer {
  readonly ip: string;
  readonly priority: number;
  /** Virtual-clock time at which its hold time runs out. */
  readonly expiresAt: number;
}

export interface FsmCounters {
  readonly packetsIn: Record<HsrpOpcode, number>;
  readonly packetsOut: Record<SendOpcode, number>;
  authFailures: number;
  malformed: number;
  /** Datagrams of another group or version: not ours to read. */
  otherGroup: number;
  /** Our own datagrams looped back to us. */
  ownPackets: number;
  transitions: number;
}

export interface ReceivedDatagram {
  readonly sourceIp: string;
  readonly result: DecodeResult;
}

type TimerName = 'active' | 'standby' | 'hello' | 'preempt';

const speakingStates: ReadonlySet<HsrpState> = new Set<HsrpState>(['Speak', 'Standby', 'Active']);

/** RFC 2281 §5: higher priority wins; on a tie, the higher IP address. */
export function outranks(a: { priority: number; ip: string }, b: { priority: number; ip: string }): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return ipv4Number(a.ip) > ipv4Number(b.ip);
}

function ipv4Number(ip: string): number {
  const parts = ip.split('.').map((p) => Number(p));
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  return (((parts[0] as number) * 256 + (parts[1] as number)) * 256 + (parts[2] as number)) * 256 + (parts[3] as number);
}

export class HsrpFsm {
  private stateValue: HsrpState = 'Initial';
  private readonly handles = new Map<TimerName, TimerHandle>();
  private learnedVip: string | undefined;
  private learnedHelloMs: number | undefined;
  private learnedHoldMs: number | undefined;
  private activePeer: Peer | undefined;
  private standbyPeer: Peer | undefined;
  private enabledAt = 0;
  /** When a Coup from a higher-priority router was last heard (a preemption under way). */
  private higherCoupAt = -Infinity;
  private lastChangeAt = 0;
  private stateChanges = 0;
  private readonly warned = new Map<string, { at: number; suppressed: number }>();
  readonly counters: FsmCounters = {
    packetsIn: { Hello: 0, Coup: 0, Resign: 0, Advertise: 0 },
    packetsOut: { Hello: 0, Coup: 0, Resign: 0 },
    authFailures: 0,
    malformed: 0,
    otherGroup: 0,
    ownPackets: 0,
    transitions: 0,
  };

  constructor(
    private readonly config: FsmConfig,
    private readonly timers: Timers,
    private readonly onAction: (action: FsmAction) => void,
    private readonly log: Logger = silentLogger,
  ) {}

  get state(): HsrpState {
    return this.stateValue;
  }

  /** The virtual IP in use: configured, else learned from the active router. */
  get vip(): string | undefined {
    return this.config.vip ?? this.learnedVip;
  }

  get helloMs(): number {
    return this.config.helloMs ?? this.learnedHelloMs ?? defaultHelloMs;
  }

  get holdMs(): number {
    return this.config.holdMs ?? this.learnedHoldMs ?? defaultHoldMs;
  }

  get priority(): number {
    return this.config.priority;
  }

  /** The active router: undefined when unknown, `local` when it is us. */
  get activeRouter(): Peer | 'local' | undefined {
    return this.stateValue === 'Active' ? 'local' : this.activePeer;
  }

  get standbyRouter(): Peer | 'local' | undefined {
    return this.stateValue === 'Standby' ? 'local' : this.standbyPeer;
  }

  get changes(): { count: number; lastAt: number } {
    return { count: this.stateChanges, lastAt: this.lastChangeAt };
  }

  /** Names of the timers currently armed (a leak check for tests and `show`). */
  armedTimers(): TimerName[] {
    return [...this.handles.keys()].sort();
  }

  /** Event a: HSRP configured on an enabled interface (or the link came up). */
  enable(): void {
    if (this.stateValue !== 'Initial') return;
    this.enabledAt = this.timers.now();
    this.startActiveTimer(this.holdMs); // A
    this.startStandbyTimer(this.holdMs); // B
    this.transition(this.vip === undefined ? 'Learn' : 'Listen', 'enabled');
  }

  /** Event b: HSRP disabled or the interface went down. Sends Resign when active (H). */
  disable(reason = 'disabled'): void {
    if (this.stateValue === 'Initial') return;
    this.stopTimer('active'); // C
    this.stopTimer('standby'); // D
    this.stopTimer('preempt');
    if (this.stateValue === 'Active') this.send('Resign'); // H
    this.activePeer = undefined;
    this.standbyPeer = undefined;
    this.transition('Initial', reason);
  }

  /** Feeds one received datagram. Authentication is checked before any election field is used. */
  receive(datagram: ReceivedDatagram): void {
    const m = datagram.result;
    if (!m.ok) {
      this.counters.malformed++;
      this.warnRateLimited('malformed', { source: datagram.sourceIp, field: m.field, offset: m.offset, reason: m.reason }, 'malformed HSRP datagram dropped');
      return;
    }
    if (m.opcode === 'Advertise') {
      this.counters.packetsIn.Advertise++;
      return;
    }
    // Only the group number and version are read before authentication: they pick the group.
    if (m.group !== this.config.group || m.version !== this.config.version) {
      this.counters.otherGroup++;
      return;
    }
    if (m.auth !== 'ok') {
      this.counters.authFailures++;
      this.warnRateLimited('auth', { source: datagram.sourceIp, verdict: m.auth, authKind: m.authKind }, 'HSRP datagram failed authentication; ignored');
      return;
    }
    if (datagram.sourceIp === this.config.localIp) {
      this.counters.ownPackets++;
      return;
    }
    this.counters.packetsIn[m.opcode]++;
    if (this.stateValue === 'Initial') return;
    const sender = { ip: datagram.sourceIp, priority: m.priority };
    const higher = outranks(sender, this.local());
    switch (m.opcode) {
      case 'Hello':
        if (m.state === 'Active') {
          this.activePeer = { ...sender, expiresAt: this.timers.now() + m.holdMs };
          if (this.standbyPeer?.ip === sender.ip) this.standbyPeer = undefined;
          if (higher) this.helloFromHigherActive(m.helloMs, m.holdMs, m.vip); // g
          else this.helloFromLowerActive(m.helloMs, m.holdMs, m.vip); // h
        } else if (m.state === 'Standby') {
          this.standbyPeer = { ...sender, expiresAt: this.timers.now() + m.holdMs };
          if (this.activePeer?.ip === sender.ip) this.activePeer = undefined;
          if (higher) this.helloFromHigherStandby(m.holdMs); // k
          else this.helloFromLowerStandby(m.holdMs); // l
        } else if (m.state === 'Speak' && higher) {
          this.helloFromHigherSpeaker(); // f
        }
        break;
      case 'Coup':
        if (higher) this.higherCoupAt = this.timers.now();
        if (higher) this.coupFromHigher(); // j
        break;
      case 'Resign':
        if (m.state === 'Active' || this.activePeer?.ip === sender.ip) this.resignFromActive(sender.ip); // i
        break;
    }
  }

  // --- events (RFC 2281 §6.3) -------------------------------------------------

  /** c: the active router's hold time ran out. */
  private activeTimerExpired(): void {
    this.handles.delete('active');
    this.activePeer = undefined;
    switch (this.stateValue) {
      case 'Listen':
        this.startActiveTimer(this.holdMs);
        this.startStandbyTimer(this.holdMs);
        this.transition('Speak', 'active router timed out');
        break;
      case 'Standby':
        this.becomeActive('active router timed out');
        break;
      default:
        // Speak: the RFC lists no action; the active router is now unknown, so the
        // Speak -> Standby step (event d) goes on to Active (see standbyTimerExpired).
        break;
    }
  }

  /** d: the standby router's hold time ran out (or our Speak period ended). */
  private standbyTimerExpired(): void {
    this.handles.delete('standby');
    this.standbyPeer = undefined;
    switch (this.stateValue) {
      case 'Listen':
        this.startStandbyTimer(this.holdMs);
        this.transition('Speak', 'standby router timed out');
        break;
      case 'Speak':
        this.transition('Standby', 'no higher-priority speaker');
        // Gap in RFC 2281's table: with no active router known (its timer already
        // expired in Speak), a new standby would wait forever; take over now.
        if (!this.handles.has('active')) this.becomeActive('no active router');
        break;
      default:
        break;
    }
  }

  /** e: time to send a Hello. */
  private helloTimerExpired(): void {
    this.handles.delete('hello');
    if (!speakingStates.has(this.stateValue)) return;
    this.send('Hello');
    this.armHello();
  }

  /** f: Hello of higher priority from a router in Speak state. */
  private helloFromHigherSpeaker(): void {
    if (this.stateValue === 'Speak' || this.stateValue === 'Standby') {
      this.startStandbyTimer(this.holdMs);
      this.transition('Listen', 'higher-priority router speaking');
    }
  }

  /** g: Hello of higher priority from the active router. */
  private helloFromHigherActive(helloMs: number, holdMs: number, vip: string): void {
    switch (this.stateValue) {
      case 'Learn':
        this.learn(helloMs, holdMs, vip);
        this.startActiveTimer(holdMs);
        this.startStandbyTimer(this.holdMs);
        this.transition('Listen', 'learned from the active router');
        break;
      case 'Listen':
      case 'Speak':
      case 'Standby':
        this.learn(helloMs, holdMs, vip);
        this.startActiveTimer(holdMs);
        break;
      case 'Active':
        // Two active routers: the lower one steps down.
        this.startActiveTimer(holdMs);
        this.startStandbyTimer(this.holdMs);
        this.transition('Speak', 'higher-priority active router');
        break;
      default:
        break;
    }
  }

  /** h: Hello of lower priority from the active router. */
  private helloFromLowerActive(helloMs: number, holdMs: number, vip: string): void {
    switch (this.stateValue) {
      case 'Learn':
        this.learn(helloMs, holdMs, vip);
        this.startActiveTimer(holdMs);
        this.startStandbyTimer(this.holdMs);
        this.transition('Listen', 'learned from the active router');
        break;
      case 'Listen':
      case 'Speak':
      case 'Standby':
        this.learn(helloMs, holdMs, vip);
        this.startActiveTimer(holdMs);
        if (this.config.preempt) this.preemptWhenAllowed();
        break;
      case 'Active':
        this.send('Coup'); // G: tell the lower one to step down
        break;
      default:
        break;
    }
  }

  /** i: Resign from the active router. */
  private resignFromActive(ip: string): void {
    if (this.activePeer?.ip === ip) this.activePeer = undefined;
    switch (this.stateValue) {
      case 'Listen':
        this.startActiveTimer(this.holdMs);
        this.startStandbyTimer(this.holdMs);
        this.transition('Speak', 'active router resigned');
        break;
      case 'Speak':
        this.startActiveTimer(this.holdMs);
        break;
      case 'Standby':
        // Gap in RFC 2281's table: a preempting router's Coup makes the active
        // resign, and the preempting router takes over itself (it may already be
        // heard as Active). Taking over too would only start a second round of
        // Coups; wait for its hello instead, and take over if none comes within
        // the hold time.
        if (this.activePeer !== undefined || this.timers.now() - this.higherCoupAt < this.holdMs) {
          if (this.activePeer === undefined) this.startActiveTimer(this.holdMs);
          break;
        }
        this.becomeActive('active router resigned');
        break;
      default:
        break;
    }
  }

  /** j: Coup from a higher-priority router. */
  private coupFromHigher(): void {
    if (this.stateValue !== 'Active') return;
    this.startActiveTimer(this.holdMs);
    this.startStandbyTimer(this.holdMs);
    this.send('Resign'); // H
    this.transition('Speak', 'coup from a higher-priority router');
  }

  /** k: Hello of higher priority from the standby router. */
  private helloFromHigherStandby(holdMs: number): void {
    switch (this.stateValue) {
      case 'Listen':
      case 'Active':
        this.startStandbyTimer(holdMs);
        break;
      case 'Speak':
      case 'Standby':
        this.startStandbyTimer(holdMs);
        this.transition('Listen', 'higher-priority standby router');
        break;
      default:
        break;
    }
  }

  /** l: Hello of lower priority from the standby router. */
  private helloFromLowerStandby(holdMs: number): void {
    switch (this.stateValue) {
      case 'Listen':
        this.startStandbyTimer(holdMs);
        this.transition('Speak', 'lower-priority standby router');
        break;
      case 'Speak':
        this.stopTimer('standby');
        this.transition('Standby', 'lower-priority standby router');
        break;
      case 'Active':
        this.startStandbyTimer(holdMs);
        break;
      default:
        break;
    }
  }

  // --- actions (RFC 2281 §6.4) ------------------------------------------------

  /** Preempt (Coup) now, or when `preempt delay minimum` has passed since the group came up. */
  private preemptWhenAllowed(): void {
    const wait = this.enabledAt + this.config.preemptDelayMs - this.timers.now();
    if (wait <= 0) {
      this.stopTimer('preempt');
      this.send('Coup'); // G
      this.becomeActive('preempting a lower-priority active router');
      return;
    }
    if (this.handles.has('preempt')) return;
    this.arm('preempt', wait, () => {
      this.handles.delete('preempt');
      const active = this.activePeer;
      if (!['Listen', 'Speak', 'Standby'].includes(this.stateValue) || active === undefined) return;
      if (outranks(this.local(), active)) this.preemptWhenAllowed();
    });
  }

  /** C D F I: take over as the active router. */
  private becomeActive(reason: string): void {
    this.stopTimer('active'); // C
    this.activePeer = undefined;
    if (this.standbyPeer === undefined) this.stopTimer('standby');
    this.transition('Active', reason);
  }

  /** E: learn the virtual IP and timers from the active router when they are not configured. */
  private learn(helloMs: number, holdMs: number, vip: string): void {
    if (this.config.vip === undefined && vip !== '0.0.0.0') this.learnedVip = vip;
    else if (this.config.vip !== undefined && vip !== this.config.vip && vip !== '0.0.0.0') {
      this.warnRateLimited('vip', { configured: this.config.vip, active: vip }, 'the active router uses another virtual IP');
    }
    if (this.config.helloMs === undefined && helloMs > 0) this.learnedHelloMs = helloMs;
    if (this.config.holdMs === undefined && holdMs > 0) this.learnedHoldMs = holdMs;
  }

  private send(opcode: SendOpcode): void {
    const vip = this.vip;
    if (vip === undefined) return; // nothing to speak for before the VIP is known
    this.counters.packetsOut[opcode]++;
    this.onAction({ type: 'send', opcode, state: this.stateValue, priority: this.config.priority, helloMs: this.helloMs, holdMs: this.holdMs, vip });
  }

  // --- the one transition function ----------------------------------------------

  private transition(to: HsrpState, reason: string): void {
    const from = this.stateValue;
    if (from === to) return;
    this.stateValue = to;
    this.stateChanges++;
    this.counters.transitions++;
    this.lastChangeAt = this.timers.now();
    this.log.info({ group: this.config.group, from, to, reason }, `${from} -> ${to}`);
    const vip = this.vip;
    if (from === 'Active' && vip !== undefined) this.onAction({ type: 'leave-active', vip });
    if (speakingStates.has(to)) {
      // Announce the new state at once rather than at the next hello tick.
      if (to === 'Active' && vip !== undefined) this.onAction({ type: 'become-active', vip });
      this.send('Hello');
      this.armHello();
    } else {
      this.stopTimer('hello');
    }
  }

  // --- timers ---------------------------------------------------------------------

  private local(): { ip: string; priority: number } {
    return { ip: this.config.localIp, priority: this.config.priority };
  }

  private startActiveTimer(ms: number): void {
    this.arm('active', ms, () => this.activeTimerExpired());
  }

  private startStandbyTimer(ms: number): void {
    this.arm('standby', ms, () => this.standbyTimerExpired());
  }

  private armHello(): void {
    if (!this.handles.has('hello')) this.arm('hello', this.helloMs, () => this.helloTimerExpired());
  }

  private arm(name: TimerName, ms: number, fn: () => void): void {
    this.stopTimer(name);
    this.handles.set(name, this.timers.setTimeout(fn, ms));
  }

  private stopTimer(name: TimerName): void {
    const handle = this.handles.get(name);
    if (handle === undefined) return;
    this.timers.clearTimeout(handle);
    this.handles.delete(name);
  }

  /** One log line per condition per 10 s, with the count of the ones held back. */
  private warnRateLimited(condition: string, fields: Record<string, unknown>, message: string): void {
    const now = this.timers.now();
    const last = this.warned.get(condition);
    if (last !== undefined && now - last.at < 10_000) {
      last.suppressed++;
      return;
    }
    this.log.warn({ ...fields, group: this.config.group, suppressed: last?.suppressed ?? 0 }, message);
    this.warned.set(condition, { at: now, suppressed: 0 });
  }
}
