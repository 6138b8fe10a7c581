/**
 * The units stack files are written in: Go durations (`1m30s`), docker byte sizes (`512M`),
 * CPU counts (`0.5`). Each parser returns undefined for text it does not accept; the caller
 * reports the position.
 */

const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Go's time.ParseDuration, rounded to whole milliseconds; negative durations are refused. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < s.length) {
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (DURATION_UNIT_MS[m[2] ?? ""] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** The shortest Go-style text for a duration (`90000` → `1m30s`). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return "0s";
  let out = "";
  let rest = ms;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  if (h > 0) out += `${h}h`;
  if (m > 0) out += `${m}m`;
  if (rest === 0) return out;
  if (out === "" && rest < 1_000) return `${rest}ms`;
  return `${out}${rest / 1_000}s`;
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};
const BYTES = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)(?:i?b)?$/i;

/** docker's RAMInBytes: `512M`, `1g`, `1.5GB`, `1024` — binary multiples, case-insensitive. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isInteger(text) && text >= 0 ? text : undefined;
  const m = BYTES.exec(text.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * (BYTE_UNITS[(m[2] ?? "").toLowerCase()] ?? Number.NaN);
  return Number.isFinite(bytes) && bytes <= Number.MAX_SAFE_INTEGER ? Math.floor(bytes) : undefined;
}

/** CPUs (`0.5`, `"2"`) → nano CPUs, exact to 1e-9 as docker's ParseCPUs. */
export function parseNanoCpus(text: string | number): number | undefined {
  const s = String(text).trim();
  if (!/^(\d+(\.\d{0,9})?|\.\d{1,9})$/.test(s)) return undefined;
  const [whole = "0", frac = ""] = s.split(".");
  const nano = Number(whole || "0") * 1e9 + Number(frac.padEnd(9, "0"));
  return Number.isSafeInteger(nano) ? nano : undefined;
}
