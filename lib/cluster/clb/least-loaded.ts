// The least loaded gateway (LLG) choice: pure functions over a snapshot of
// the member table, so every rule is tested table-driven and by property.
//
// Rules (docs/CLB-PROTOCOL.md, "Choosing the LLG"):
//   score     = (wc*crypto + ws*system) / (wc + ws), both weights 0..100;
//               with wc + ws = 0 the operator asked to ignore load: every
//               score is 0 and the tie-breaks alone decide.
//   skipped   = score at or over overload-limit (overloaded), sessions at
//               max-session (full), draining, no load reported yet (joining),
//               or not a redirect target.
//   order     = lower score, then higher priority, then fewer sessions, then
//               the lower address.
//   primary   = keeps a session only when every subordinate is more loaded
//               (strictly higher score), as Cisco ASA does: it already
//               carries the redirect work.
//   hysteresis= the previous target stays chosen while its score is at most
//               `hysteresis` points above the best one (Cisco ASA: 1 %), so
//               two near-equal members do not flip-flop on every update.
//   none      = no eligible member at all (all overloaded/full): serve
//               locally and say so ('all-overloaded').
import { compareAddresses } from '../../ip-address';
import type { MemberState } from './member-state';

export interface LoadWeights {
  /** `master weight crypto-load`, 0..100. */
  readonly crypto: number;
  /** `master weight system-load`, 0..100. */
  readonly system: number;
}

export interface LlgPolicy {
  readonly weights: LoadWeights;
  /** `master overload-limit`, percent. */
  readonly overloadLimit: number;
  /** Percentage points the previous target may exceed the best by and stay chosen. */
  readonly hysteresis: number;
}

/** What the LLG needs to know of one member. */
export interface MemberLoad {
  readonly address: string;
  /** This is the primary itself (the gateway making the choice). */
  readonly local: boolean;
  readonly priority: number;
  readonly sessions: number;
  readonly maxSession: number;
  /** Percent 0..100. */
  readonly cryptoLoad: number;
  /** Percent 0..100. */
  readonly systemLoad: number;
  /** A load update has arrived (a member that only said HELLO is 'joining'). */
  readonly reported: boolean;
  readonly draining: boolean;
  /** The member answers IKE on its address (HELLO capability). */
  readonly redirectTarget: boolean;
  /** Load reports received from it so far: what a projection since the last report is counted from. */
  readonly reports?: number;
}

export type LlgDecision =
  | { readonly kind: 'redirect'; readonly target: MemberLoad; readonly score: number }
  | {
      readonly kind: 'local';
      /**
       * 'primary-least-loaded': every subordinate is more loaded than the primary;
       * 'no-eligible-subordinate': no subordinate can take it, the primary can;
       * 'all-overloaded': nobody is eligible, the primary serves anyway.
       */
      readonly reason: 'primary-least-loaded' | 'no-eligible-subordinate' | 'all-overloaded';
      readonly score: number;
    };

/** Weighted load, 0..100. */
export function loadScore(member: Pick<MemberLoad, 'cryptoLoad' | 'systemLoad'>, weights: LoadWeights): number {
  const total = weights.crypto + weights.system;
  if (total === 0) return 0;
  // Rounded so equal loads tie exactly whatever the floating-point path.
  return Math.round(((weights.crypto * member.cryptoLoad + weights.system * member.systemLoad) / total) * 10_000) / 10_000;
}

export function memberState(member: MemberLoad, policy: LlgPolicy): MemberState {
  if (member.draining) return 'draining';
  if (!member.reported) return 'joining';
  if (member.sessions >= member.maxSession) return 'full';
  if (loadScore(member, policy.weights) >= policy.overloadLimit) return 'overloaded';
  return 'up';
}

/** Can take a new session: up, and (for a subordinate) a redirect target. */
export function isEligible(member: MemberLoad, policy: LlgPolicy): boolean {
  return memberState(member, policy) === 'up' && (member.local || member.redirectTarget);
}

/** The LLG order: lower score, higher priority, fewer sessions, lower address. */
export function compareMembers(a: MemberLoad, b: MemberLoad, weights: LoadWeights): number {
  return loadScore(a, weights) - loadScore(b, weights) || b.priority - a.priority || a.sessions - b.sessions || compareAddresses(a.address, b.address);
}

/** Every member in LLG order, eligible ones first. */
export function rankMembers(members: readonly MemberLoad[], policy: LlgPolicy): MemberLoad[] {
  return [...members].sort((a, b) => Number(isEligible(b, policy)) - Number(isEligible(a, policy)) || compareMembers(a, b, policy.weights));
}

/**
 * Picks where a new session goes. `previous` is the address of the last
 * redirect target, for the hysteresis.
 */
export function chooseLeastLoaded(members: readonly MemberLoad[], policy: LlgPolicy, previous?: string): LlgDecision {
  const eligible = members.filter((m) => isEligible(m, policy));
  const subordinates = eligible.filter((m) => !m.local).sort((a, b) => compareMembers(a, b, policy.weights));
  const primary = eligible.find((m) => m.local);
  const best = subordinates[0];
  if (best === undefined) {
    const self = members.find((m) => m.local);
    const score = self === undefined ? 0 : loadScore(self, policy.weights);
    return primary !== undefined ? { kind: 'local', reason: 'no-eligible-subordinate', score } : { kind: 'local', reason: 'all-overloaded', score };
  }
  const bestScore = loadScore(best, policy.weights);
  if (primary !== undefined && loadScore(primary, policy.weights) < bestScore) {
    return { kind: 'local', reason: 'primary-least-loaded', score: loadScore(primary, policy.weights) };
  }
  const sticky = previous === undefined ? undefined : subordinates.find((m) => m.address === previous);
  if (sticky !== undefined && loadScore(sticky, policy.weights) <= bestScore + policy.hysteresis) {
    return { kind: 'redirect', target: sticky, score: loadScore(sticky, policy.weights) };
  }
  return { kind: 'redirect', target: best, score: bestScore };
}
