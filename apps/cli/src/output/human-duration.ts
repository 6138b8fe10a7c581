/** docker's HumanDuration (go-units): "Less than a second", "5 seconds", "About a minute", ... */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

/** `Running 5 seconds ago` from a state name and when it was entered. */
export function stateSince(state: string, sinceMs: number, nowMs: number): string {
  const name = state.charAt(0).toUpperCase() + state.slice(1);
  return `${name} ${humanDuration(Math.max(0, nowMs - sinceMs))} ago`;
}
