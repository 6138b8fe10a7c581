/**
 * The engine's timestamp prefix ("2026-11-22T02:14:31.123456789Z line"): split off and read in
 * milliseconds. A line without one (which the engine never sends when asked) gets `fallbackMs`.
 */
export function splitTimestamp(line: string, fallbackMs: number): { timestampMs: number; text: string } {
  const space = line.indexOf(" ");
  const head = space < 0 ? line : line.slice(0, space);
  const ms = /^\d{4}-\d\d-\d\dT/.test(head) ? Date.parse(head) : Number.NaN;
  if (Number.isNaN(ms)) return { timestampMs: fallbackMs, text: line };
  return { timestampMs: ms, text: space < 0 ? "" : line.slice(space + 1) };
}
