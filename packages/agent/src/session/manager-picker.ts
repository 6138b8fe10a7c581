/**
 * Which manager the agent dials: the heaviest of the list the dispatcher last sent (the leader),
 * then the others in turn after failures. Starts from the addresses the node was given.
 */
export interface KnownManager {
  readonly addr: string;
  readonly weight: number;
}

export class ManagerPicker {
  // Invariant: managers is never empty; sorted heaviest first.
  private managers: KnownManager[];
  private cursor = 0;

  constructor(initial: readonly string[]) {
    if (initial.length === 0) throw new RangeError("the session needs at least one manager address");
    this.managers = initial.map((addr) => ({ addr, weight: 1 }));
  }

  /** The manager to dial now. */
  current(): string {
    return (this.managers[this.cursor % this.managers.length] as KnownManager).addr;
  }

  /** The dial worked: start from the top of the list next time. */
  succeeded(): void {
    this.cursor = 0;
  }

  /** The dial or session failed: the next one in the list. */
  failed(): void {
    this.cursor = (this.cursor + 1) % this.managers.length;
  }

  /** A new list from the dispatcher (ignored when empty). */
  update(managers: readonly KnownManager[]): void {
    if (managers.length === 0) return;
    this.managers = [...managers].sort((a, b) => b.weight - a.weight);
    this.cursor = 0;
  }

  get addresses(): string[] {
    return this.managers.map((m) => m.addr);
  }
}
