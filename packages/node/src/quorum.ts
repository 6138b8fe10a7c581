/**
 * Raft quorum arithmetic for demotions, pure: N voters need floor(N/2)+1 of them reachable and
 * tolerate floor((N-1)/2) failures. A demotion is refused when it would remove the last manager,
 * when the change itself cannot commit (the current voters lack a reachable quorum), or when the
 * managers left behind would not have a reachable quorum.
 */
export function quorumOf(voters: number): number {
  return Math.floor(voters / 2) + 1;
}

export function failuresTolerated(voters: number): number {
  return Math.max(0, Math.floor((voters - 1) / 2));
}

export type DemotionCheck =
  | { readonly ok: true; readonly remaining: number; readonly tolerated: number; readonly summary: string }
  | { readonly ok: false; readonly message: string };

export interface DemotionInput {
  readonly name: string;
  readonly voters: readonly number[];
  readonly target: number;
  /** Voters the leader heard from recently (the leader included). */
  readonly reachable: ReadonlySet<number>;
}

export function checkDemotion(input: DemotionInput): DemotionCheck {
  const { name, voters, target, reachable } = input;
  const remaining = voters.filter((v) => v !== target);
  const managers = (n: number) => `${n} manager${n === 1 ? "" : "s"}`;
  if (remaining.length === 0) {
    return {
      ok: false,
      message: `node "${name}" is the last manager: promote another node before demoting it`,
    };
  }
  const reachableNow = voters.filter((v) => reachable.has(v)).length;
  const reachableAfter = remaining.filter((v) => reachable.has(v)).length;
  const need = quorumOf(remaining.length);
  if (reachableNow < quorumOf(voters.length) || reachableAfter < need) {
    return {
      ok: false,
      message:
        `demoting node "${name}" would break quorum: ${managers(remaining.length)} would remain, ` +
        `of which ${reachableAfter} ${reachableAfter === 1 ? "is" : "are"} reachable, and ${managers(remaining.length)} need ${need} ` +
        `reachable (they tolerate ${failuresTolerated(remaining.length)} failure${failuresTolerated(remaining.length) === 1 ? "" : "s"}): ` +
        "bring the unreachable managers back, or remove them first",
    };
  }
  const tolerated = failuresTolerated(remaining.length);
  return {
    ok: true,
    remaining: remaining.length,
    tolerated,
    summary: `${managers(remaining.length)} ${remaining.length === 1 ? "remains" : "remain"}, tolerating ${tolerated} failure${tolerated === 1 ? "" : "s"}`,
  };
}
