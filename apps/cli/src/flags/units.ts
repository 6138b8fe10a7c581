/** docker's flag units: Go durations (`10s`, `1m30s`), byte sizes (`512M`, `1g`), CPUs (`0.5`). */
import { parseBytes, parseDurationMs, parseNanoCpus } from "@shoal/compose";
import { UsageError } from "../cli-error.ts";

export function durationFlagMs(flag: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new UsageError(`--${flag} ${text}: a duration is like 10s, 1m30s or 500ms`);
  return ms;
}

export function memoryFlagBytes(flag: string, text: string): number {
  const bytes = parseBytes(text);
  if (bytes === undefined) throw new UsageError(`--${flag} ${text}: a size is like 512M, 1g or 1073741824`);
  return bytes;
}

export function cpuFlagNano(flag: string, text: string): number {
  const nano = parseNanoCpus(text);
  if (nano === undefined) throw new UsageError(`--${flag} ${text}: CPUs are a number like 0.5 or 2`);
  return nano;
}

export function countFlag(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${flag} ${text}: expected a whole number`);
  return Number(text);
}

export function ratioFlag(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new UsageError(`--${flag} ${text}: expected a number from 0 to 1`);
  }
  return n;
}
