// The state of a cluster member as the primary sees it (shown by
// `show crypto ikev2 cluster` and sent back to the subordinate in PRIMARY-INFO).
// A member silent for holdtime is not a state: it is dead and leaves the table.

export const memberStates = [
  /** Said HELLO, no load reported yet: not a redirect target. */
  'joining',
  /** Reporting load, below overload-limit and max-session: a redirect target. */
  'up',
  /** Weighted load at or over `master overload-limit`: skipped by the LLG. */
  'overloaded',
  /** Sessions at `slave max-session`: skipped by the LLG. */
  'full',
  /** The member is leaving (its cluster is shut down or it is stopping): skipped by the LLG. */
  'draining',
] as const;

export type MemberState = (typeof memberStates)[number];

/** Wire code of a state: its index in memberStates. */
export function memberStateCode(state: MemberState): number {
  return memberStates.indexOf(state);
}

export function memberStateFromCode(code: number): MemberState | undefined {
  return memberStates[code];
}
