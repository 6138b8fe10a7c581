import { ApiError } from "../api-error.ts";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** `--since` as docker takes it: a duration back from `nowMs` ("10m", "1h30m"), RFC 3339, or Unix seconds. */
export function parseSinceMs(since: string, nowMs: number): number {
  if (/^\d+(\.\d+)?$/.test(since)) return Math.floor(Number(since) * 1_000);
  if (DURATION.test(since)) {
    let ms = 0;
    for (const [, amount, unit] of since.matchAll(DURATION_PART))
      ms += Number(amount) * (UNIT_MS[unit ?? ""] ?? 0);
    return Math.max(0, Math.round(nowMs - ms));
  }
  const time = /^\d{4}-\d\d-\d\dT/.test(since) ? Date.parse(since) : Number.NaN;
  if (!Number.isNaN(time)) return time;
  throw new ApiError(
    "invalid-argument",
    `since "${since}" is neither a duration (10m, 1h30m), an RFC 3339 time nor Unix seconds`,
  );
}
