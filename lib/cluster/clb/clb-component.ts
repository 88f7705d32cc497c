// The CLB part of a running gateway (a daemon Component): follows the HSRP
// role of `standby-group` — primary while active, subordinate otherwise —
// publishes the redirect target table, answers the LLG question for the IKE
// layer, and serves `show crypto ikev2 cluster`.
import { randomInt } from 'node:crypto';
import type { ControlServer } from '../../control/server';
import type { Component } from '../../daemon/component';
import { IkelbError } from '../../errors';
import { silentLogger, type Logger } from '../../log';
import { Balancer } from './balancer';
import { systemClock, type Clock, type TimerHandle } from './clock';
import type { GroupRole, GroupRoleEvent, GroupRoleState } from './group-role';
import { canonicalAddress } from '../../ip-address';
import { deriveClusterKeys, type ClusterKeys } from './keys';
import type { LlgDecision, LlgPolicy } from './least-loaded';
import { localLoad, type LocalLoad } from './local-load';
import type { LoadMessage } from './messages';
import type { ClusterOptions } from './options';
import { PrimaryRole } from './primary';
import { buildRedirectTargets, MemoryTargetSink, type RedirectTargetSink } from './redirect-targets';
import { RefusalCounter } from './refusals';
import { formatClusterStatus, type ClusterStatus } from './show-cluster';
import { SubordinateRole } from './subordinate';
import { SystemLoadSampler, type LoadSample } from './system-load';

export interface ClbComponentOptions {
  /** Resolved options (resolveClusterOptions). */
  readonly cluster: ClusterOptions;
  /** HSRP's view of `standby-group`. */
  readonly role: GroupRole;
  /** Established sessions on this gateway (the IKE SA table's count). */
  readonly sessions: () => number;
  /** Where the redirect target table goes; default a MemoryTargetSink. */
  readonly sink?: RedirectTargetSink;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** CPU/memory figures; default /proc sampling. */
  readonly systemLoad?: () => LoadSample;
  /** Fixed member id (tests); default random. */
  readonly memberId?: number;
}

export type ClbRole = 'primary' | 'subordinate' | 'disabled';

export class ClbComponent implements Component {
  readonly name = 'clb';
  readonly sink: RedirectTargetSink;
  readonly refusals: RefusalCounter;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly keys: ClusterKeys;
  private readonly policy: LlgPolicy;
  private readonly local: LocalLoad;
  private readonly balancer: Balancer;
  private readonly memberId: number;
  private primary: PrimaryRole | undefined;
  private subordinate: SubordinateRole | undefined;
  private unsubscribe: (() => void) | undefined;
  private transitions: Promise<void> = Promise.resolve();
  private retry: TimerHandle | undefined;
  private generation = 0;
  private stopping = false;
  private lastLocal: LoadMessage | undefined;
  private lastNoTargetWarning = -Infinity;

  constructor(private readonly o: ClbComponentOptions) {
    this.clock = o.clock ?? systemClock;
    this.log = (o.log ?? silentLogger).child({ component: 'clb' });
    this.sink = o.sink ?? new MemoryTargetSink();
    this.refusals = new RefusalCounter(this.clock, this.log);
    this.keys = deriveClusterKeys(o.cluster.secret);
    this.policy = {
      weights: { crypto: o.cluster.weightCryptoLoad, system: o.cluster.weightSystemLoad },
      overloadLimit: o.cluster.overloadLimit,
      hysteresis: o.cluster.hysteresis,
    };
    this.balancer = new Balancer(this.policy);
    this.memberId = o.memberId ?? randomInt(1, 0xffff_ffff);
    let sampler: SystemLoadSampler | undefined;
    const system = o.systemLoad ?? (() => (sampler ??= new SystemLoadSampler()).sample());
    const base = localLoad(o.cluster, { sessions: o.sessions, system, draining: () => this.stopping });
    this.local = {
      sample: () => {
        this.lastLocal = base.sample();
        return this.lastLocal;
      },
    };
  }

  get role(): ClbRole {
    if (this.o.cluster.shutdown) return 'disabled';
    return this.primary !== undefined ? 'primary' : 'subordinate';
  }

  async start(): Promise<void> {
    if (this.o.role.group !== this.o.cluster.standbyGroup) {
      throw new IkelbError('IKELB_ERR_CLB_ROLE', `crypto ikev2 cluster: standby-group '${this.o.cluster.standbyGroup}' is not the HSRP group this gateway runs ('${this.o.role.group}')`);
    }
    if (this.o.cluster.shutdown) {
      this.log.info('CLB cluster is shut down: not joining');
      return;
    }
    this.unsubscribe = this.o.role.subscribe((event) => this.enqueue(event));
    this.publish();
    // A primary that cannot listen at start is a configuration error: fail the daemon's start.
    await this.apply(this.o.role.state(), 'start', true);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.clearRetry();
    await this.transitions;
    this.subordinate?.stop('shutdown');
    this.subordinate = undefined;
    await this.primary?.stop('shutdown');
    this.primary = undefined;
    this.balancer.clear();
    this.publish();
  }

  registerCommands(control: ControlServer): void {
    control.register(['show', 'crypto', 'ikev2', 'cluster'], () => {
      const status = this.status();
      return { text: formatClusterStatus(status), data: status };
    });
  }

  /**
   * Where a new client goes: undefined when this gateway is not the primary.
   * With commit (the default), a redirect is counted against the target until
   * it reports again — call it only for a client that will be redirected.
   */
  chooseRedirect(commit = true): LlgDecision | undefined {
    const primary = this.primary;
    if (primary === undefined) return undefined;
    const decision = this.balancer.choose(primary.members());
    if (decision.kind === 'redirect' && commit) this.balancer.noteRedirect(decision.target.address);
    if (decision.kind === 'local' && decision.reason === 'all-overloaded') {
      const now = this.clock.now();
      if (now - this.lastNoTargetWarning >= 10_000) {
        this.lastNoTargetWarning = now;
        this.log.warn('every cluster member is overloaded or full: serving new clients locally');
      }
    }
    return decision;
  }

  /** Everything `show crypto ikev2 cluster` prints. */
  status(): ClusterStatus {
    const c = this.o.cluster;
    const state = this.o.role.state();
    const now = this.clock.now();
    const primary = this.primary;
    const members =
      primary === undefined
        ? []
        : primary.members().map((m) => ({
            address: m.address,
            role: m.local ? ('primary' as const) : ('subordinate' as const),
            priority: m.priority,
            sessions: m.sessions,
            maxSession: m.maxSession,
            cryptoLoad: m.cryptoLoad,
            systemLoad: m.systemLoad,
            cpuLoad: m.cpuLoad,
            memoryLoad: m.memoryLoad,
            score: m.score,
            state: m.state,
            eligible: m.eligible,
            lastHeardMs: m.local ? 0 : Math.max(0, now - m.lastHeard),
            redirectsSinceReport: this.balancer.pending(m.address),
          }));
    const decision = this.chooseRedirect(false);
    const sub = this.subordinate?.status();
    const own = this.lastLocal;
    return {
      standbyGroup: c.standbyGroup,
      role: this.role,
      hsrpActive: state.active,
      port: c.port,
      virtualAddress: state.virtualAddress,
      localAddress: canonicalAddress(c.localAddress),
      primaryAddress: primary !== undefined ? canonicalAddress(c.localAddress) : (sub?.primaryAddress ?? state.activeAddress),
      holdtimeMs: c.holdtimeMs,
      helloMs: c.helloMs,
      updateMs: c.updateMs,
      priority: c.priority,
      maxSession: c.maxSession,
      weights: { cryptoLoad: c.weightCryptoLoad, systemLoad: c.weightSystemLoad },
      overloadLimit: c.overloadLimit,
      hysteresis: c.hysteresis,
      members,
      leastLoaded:
        decision === undefined
          ? undefined
          : decision.kind === 'redirect'
            ? { decision: 'redirect', address: decision.target.address, score: decision.score }
            : { decision: 'local', address: canonicalAddress(c.localAddress), score: decision.score, reason: decision.reason },
      subordinate:
        sub === undefined
          ? undefined
          : {
              state: sub.state,
              target: sub.target,
              primaryAddress: sub.primaryAddress,
              accepted: sub.accepted,
              connectedMs: sub.establishedAt === undefined ? undefined : now - sub.establishedAt,
              lastHeardMs: sub.lastHeard === undefined ? undefined : now - sub.lastHeard,
              stateAtPrimary: sub.lastInfo?.yourState,
              scoreAtPrimary: sub.lastInfo?.yourScore,
              memberCount: sub.lastInfo?.memberCount,
              connects: sub.connects,
            },
      ownLoad:
        own === undefined
          ? undefined
          : { sessions: own.sessions, maxSession: own.maxSession, cryptoLoad: own.cryptoLoad, systemLoad: own.systemLoad, cpuLoad: own.cpuLoad, memoryLoad: own.memoryLoad },
      refused: this.refusals.snapshot(),
    };
  }

  private enqueue(event: GroupRoleEvent): void {
    this.transitions = this.transitions.then(() => this.apply(event.state, event.type, false)).catch((err: unknown) => {
      this.log.error({ err }, 'CLB role change failed');
    });
  }

  private async apply(state: GroupRoleState, why: GroupRoleEvent['type'] | 'start' | 'retry', failHard: boolean): Promise<void> {
    if (this.stopping) return;
    this.clearRetry();
    if (state.active) {
      if (this.subordinate !== undefined) {
        this.subordinate.stop('shutdown');
        this.subordinate = undefined;
      }
      if (this.primary !== undefined) return;
      const primary = this.newPrimary();
      try {
        await primary.start();
        this.primary = primary;
        this.publish();
        this.log.info({ why }, 'CLB role: primary');
      } catch (err) {
        await primary.stop('shutdown');
        if (failHard) throw err;
        // Listening failed at run time (the old primary's socket may linger): try again soon.
        this.log.error({ err }, 'CLB primary cannot start; retrying');
        this.retry = this.clock.setTimeout(() => this.enqueueState('retry'), this.o.cluster.helloMs);
      }
      return;
    }
    if (this.primary !== undefined) {
      const primary = this.primary;
      this.primary = undefined;
      await primary.stop('notPrimary');
      this.balancer.clear();
      this.publish();
      this.log.info({ why, active: state.activeAddress }, 'CLB role: subordinate');
    }
    if (this.subordinate === undefined) {
      this.subordinate = new SubordinateRole({
        options: this.o.cluster,
        keys: this.keys,
        clock: this.clock,
        log: this.log,
        refusals: this.refusals,
        local: this.local,
        memberId: this.memberId,
      });
    }
    this.subordinate.rehome(state.virtualAddress, why);
  }

  private enqueueState(why: 'retry'): void {
    this.transitions = this.transitions.then(() => this.apply(this.o.role.state(), why, false)).catch((err: unknown) => {
      this.log.error({ err }, 'CLB role change failed');
    });
  }

  private newPrimary(): PrimaryRole {
    return new PrimaryRole({
      options: this.o.cluster,
      keys: this.keys,
      policy: this.policy,
      clock: this.clock,
      log: this.log,
      refusals: this.refusals,
      local: this.local,
      onTableChange: (change, address) => {
        if (change === 'left' || change === 'expired') this.balancer.forget(address);
        else if (change === 'load' || change === 'local') this.balancer.reportArrived(address);
        this.publish();
      },
    });
  }

  /** Publishes the current target table (empty unless primary). */
  private publish(): void {
    const members = this.primary?.members() ?? [];
    this.sink.publish(buildRedirectTargets(members, this.policy, ++this.generation));
  }

  private clearRetry(): void {
    if (this.retry !== undefined) this.clock.clearTimeout(this.retry);
    this.retry = undefined;
  }
}
