// What CLB needs to know from HSRP, and nothing more: is this gateway the
// active router of the standby group (then it is the CLB primary), what is the
// group's virtual IP (subordinates connect to it), and who is active now (so a
// subordinate re-homes when that changes). The HSRP state machine
// (lib/cluster/hsrp/) implements GroupRole; ManualGroupRole below drives CLB
// in tests and in a cluster run without HSRP.

export interface GroupRoleState {
  /** This gateway is the HSRP active router of the group: the CLB primary. */
  readonly active: boolean;
  /** The group's virtual IP, configured or learned from the active router; undefined until known. */
  readonly virtualAddress: string | undefined;
  /** The real address of the current active router (ourselves when active); undefined when none is known. */
  readonly activeAddress: string | undefined;
}

export type GroupRoleEvent =
  /** This gateway became the active router (HSRP Active state entered). */
  | { readonly type: 'becameActive'; readonly state: GroupRoleState }
  /** This gateway left Active (to Speak, Standby, Listen, Init, or shutdown). */
  | { readonly type: 'becameNotActive'; readonly state: GroupRoleState }
  /** While not active: another router became active, or the VIP was learned or changed. */
  | { readonly type: 'activeAddressChanged'; readonly state: GroupRoleState };

export interface GroupRole {
  /** The standby group's name (`standby 1 name group1`), matched against `standby-group`. */
  readonly group: string;
  /** The state now; events only report changes after subscribe(). */
  state(): GroupRoleState;
  /** Calls listener on every change, in order; returns the unsubscribe function. */
  subscribe(listener: (event: GroupRoleEvent) => void): () => void;
}

/**
 * A GroupRole whose state is set by hand: for tests (simulated failovers) and
 * for a gateway run without HSRP (a fixed primary).
 */
export class ManualGroupRole implements GroupRole {
  private current: GroupRoleState;
  private readonly listeners = new Set<(event: GroupRoleEvent) => void>();

  constructor(
    readonly group: string,
    initial: GroupRoleState,
  ) {
    this.current = Object.freeze({ ...initial });
  }

  state(): GroupRoleState {
    return this.current;
  }

  subscribe(listener: (event: GroupRoleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** This gateway is now the active router. */
  becomeActive(virtualAddress: string, ownAddress: string): void {
    this.set({ active: true, virtualAddress, activeAddress: ownAddress });
  }

  /** Another router (activeAddress, or none known) is now active. */
  becomeNotActive(virtualAddress: string | undefined, activeAddress: string | undefined): void {
    this.set({ active: false, virtualAddress, activeAddress });
  }

  private set(next: GroupRoleState): void {
    const previous = this.current;
    if (previous.active === next.active && previous.virtualAddress === next.virtualAddress && previous.activeAddress === next.activeAddress) return;
    this.current = Object.freeze({ ...next });
    const type = next.active && !previous.active ? 'becameActive' : !next.active && previous.active ? 'becameNotActive' : 'activeAddressChanged';
    for (const listener of [...this.listeners]) listener({ type, state: this.current });
  }
}
