/**
 * Autolock's locked state as the API shows it: a manager that restarted with encrypted keys
 * answers every call but `swarm.unlock` and `swarm.status` with swarm's message.
 */
export const SWARM_LOCKED_MESSAGE =
  'Swarm is encrypted and needs to be unlocked before it can be used. Please use "shoal swarm unlock" to unlock it.';

/** The procedures a locked node still answers (it can also leave the swarm, as swarm allows). */
export const PROCEDURES_WHILE_LOCKED: ReadonlySet<string> = new Set([
  "swarm.unlock",
  "swarm.status",
  "swarm.leave",
]);
