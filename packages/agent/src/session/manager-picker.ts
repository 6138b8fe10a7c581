/**
 * Which manager the agent dials. It stays with the manager it is connected to for as long as that
 * manager opens sessions: a follower relays the session to the leader, so a session that ends
 * (leadership moved, a certificate renewal) is opened again on the same manager. Only when a dial
 * or a session open fails does it move on, round the list the dispatcher last sent (heaviest, the
 * leader, first). Starts from the addresses the node was given.
 */
export interface KnownManager {
  readonly addr: string;
  readonly weight: number;
}

export class ManagerPicker {
  // Invariant: managers is never empty; sorted heaviest first; cursor indexes it.
  private managers: KnownManager[];
  private cursor = 0;

  constructor(initial: readonly string[]) {
    if (initial.length === 0) throw new RangeError("the session needs at least one manager address");
    this.managers = initial.map((addr) => ({ addr, weight: 1 }));
  }

  /** The manager to dial now. */
  current(): string {
    return (this.managers[this.cursor] as KnownManager).addr;
  }

  /** The dial or session open failed: the next one in the list. */
  failed(): void {
    this.cursor = (this.cursor + 1) % this.managers.length;
  }

  /** A new list from the dispatcher (ignored when empty); the current manager stays chosen if listed. */
  update(managers: readonly KnownManager[]): void {
    if (managers.length === 0) return;
    const chosen = this.current();
    this.managers = [...managers].sort((a, b) => b.weight - a.weight);
    this.cursor = Math.max(
      0,
      this.managers.findIndex((m) => m.addr === chosen),
    );
  }

  get addresses(): string[] {
    return this.managers.map((m) => m.addr);
  }
}
