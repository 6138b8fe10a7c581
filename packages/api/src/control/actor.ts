/**
 * The actor string carried in the Raft log with every committed change: who asked, and through
 * which control procedure: `user:alice service.scale`, `token:alice/ci service.update`.
 * Manager loops write without an actor.
 */
export function formatActor(who: string, procedure: string): string {
  return `${who} ${procedure}`;
}

export interface ParsedActor {
  readonly who: string;
  /** The control procedure, when the writer named one. */
  readonly procedure: string | undefined;
}

export function parseActor(actor: string): ParsedActor {
  const space = actor.indexOf(" ");
  if (space < 0) return { who: actor, procedure: undefined };
  return { who: actor.slice(0, space), procedure: actor.slice(space + 1) };
}
