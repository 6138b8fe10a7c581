/** Raft quorum in words: how many managers a swarm can lose and keep working. */
export function failuresTolerated(managers: number): number {
  return managers <= 0 ? 0 : Math.floor((managers - 1) / 2);
}

export function quorumSentence(managers: number): string {
  const noun = managers === 1 ? "manager" : "managers";
  if (managers <= 0) return "No managers: the swarm cannot be managed.";
  const tolerated = failuresTolerated(managers);
  if (tolerated === 0) {
    return managers === 1
      ? "1 manager: the swarm cannot lose it. Promote two more nodes to survive the loss of one."
      : `${managers} ${noun}: the swarm survives the loss of none (an even number adds no safety; use 3).`;
  }
  return `${managers} ${noun}: the swarm survives the loss of ${tolerated}.`;
}

/** What a promote or demote does to the quorum, for the confirmation dialog. */
export function roleChangeSentence(managersNow: number, change: "promote" | "demote"): string {
  const after = change === "promote" ? managersNow + 1 : managersNow - 1;
  const before = failuresTolerated(managersNow);
  const later = failuresTolerated(after);
  const base = `After this change: ${quorumSentence(after)}`;
  if (later < before) return `${base} That is less than now (${before}).`;
  if (later === before && change === "promote" && after % 2 === 0) {
    return `${base} An even number of managers needs a bigger quorum without surviving more failures.`;
  }
  return base;
}
